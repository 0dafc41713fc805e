#include "connection.h"

#include <QAtomicInteger>
#include <QSqlError>

namespace cliff::store {

Connection::Connection()
{
    static QAtomicInteger<quint64> counter;
    m_name = QStringLiteral("cliff-%1").arg(counter.fetchAndAddRelaxed(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Status Connection::open(const QString &path, Mode mode)
{
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(mode == Mode::ReadOnly ? QStringLiteral("QSQLITE_OPEN_READONLY")
                                                  : QString());
    if (!m_db.open())
        return Error{m_db.lastError().text().toStdString(), path.toStdString(), 0, {}};
    return Ok{};
}

} // namespace cliff::store
