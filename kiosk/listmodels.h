#pragma once
// The list models QML shows: recent check-ins (first name and initial only),
// remote check-ins waiting for a mentor, the roster and the windows.
//
// Thread rules: GUI thread only; filled from values the services send.

#include "stationtypes.h"

#include <QAbstractListModel>

namespace imhere::kiosk {

class RecentCheckInModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { ShortNameRole = Qt::UserRole + 1, TimeRole, SourceRole, CheckInIdRole, PersonRole, WindowRole };
    using QAbstractListModel::QAbstractListModel;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    void setItems(const QList<RecentCheckIn>& items);
    [[nodiscard]] const QList<RecentCheckIn>& items() const { return m_items; }

private:
    QList<RecentCheckIn> m_items;
};

class RosterModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { PersonRole = Qt::UserRole + 1, NameRole, RoleRole, StatusRole, TimeRole, SourceRole, FlagsRole, LastEventRole };
    using QAbstractListModel::QAbstractListModel;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    void setItems(const QList<RosterRow>& items);
    [[nodiscard]] const QList<RosterRow>& items() const { return m_items; }

private:
    QList<RosterRow> m_items;
};

class WindowModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, CourseRole, CourseNameRole, TitleRole, OpenedRole };
    using QAbstractListModel::QAbstractListModel;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    void setItems(const QList<WindowRow>& items);

private:
    QList<WindowRow> m_items;
};

} // namespace imhere::kiosk
