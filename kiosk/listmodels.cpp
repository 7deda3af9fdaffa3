#include "listmodels.h"

namespace imhere::kiosk {

int RecentCheckInModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant RecentCheckInModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RecentCheckIn& r = m_items.at(index.row());
    switch (role) {
    case ShortNameRole: return r.shortName;
    case TimeRole: return r.time;
    case SourceRole: return r.source;
    case CheckInIdRole: return r.checkInId;
    case PersonRole: return r.person;
    case WindowRole: return r.window;
    default: return {};
    }
}

QHash<int, QByteArray> RecentCheckInModel::roleNames() const
{
    return {{ShortNameRole, "shortName"}, {TimeRole, "time"},     {SourceRole, "source"},
            {CheckInIdRole, "checkInId"}, {PersonRole, "person"}, {WindowRole, "window"}};
}

void RecentCheckInModel::setItems(const QList<RecentCheckIn>& items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

int RosterModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant RosterModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RosterRow& r = m_items.at(index.row());
    switch (role) {
    case PersonRole: return r.person;
    case NameRole: return r.name;
    case RoleRole: return r.role;
    case StatusRole: return r.status;
    case TimeRole: return r.time;
    case SourceRole: return r.source;
    case FlagsRole: return r.flags;
    case LastEventRole: return r.lastEventId;
    default: return {};
    }
}

QHash<int, QByteArray> RosterModel::roleNames() const
{
    return {{PersonRole, "person"}, {NameRole, "name"},     {RoleRole, "role"},   {StatusRole, "status"},
            {TimeRole, "time"},     {SourceRole, "source"}, {FlagsRole, "flags"}, {LastEventRole, "lastEventId"}};
}

void RosterModel::setItems(const QList<RosterRow>& items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

int WindowModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant WindowModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const WindowRow& w = m_items.at(index.row());
    switch (role) {
    case IdRole: return w.id;
    case CourseRole: return w.course;
    case CourseNameRole: return w.courseName;
    case TitleRole: return w.title;
    case OpenedRole: return w.opened;
    default: return {};
    }
}

QHash<int, QByteArray> WindowModel::roleNames() const
{
    return {{IdRole, "windowId"}, {CourseRole, "course"}, {CourseNameRole, "courseName"}, {TitleRole, "title"},
            {OpenedRole, "opened"}};
}

void WindowModel::setItems(const QList<WindowRow>& items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

} // namespace imhere::kiosk
