#pragma once
// Makes the kiosk library's QObject types known to QML without the library
// depending on QML (dependencies point qml -> kiosk).

#include "kiosk/admincontroller.h"
#include "kiosk/kioskcontroller.h"
#include "kiosk/listmodels.h"

#include <QtQml/qqml.h>

struct KioskControllerForeign {
    Q_GADGET
    QML_FOREIGN(imhere::kiosk::KioskController)
    QML_NAMED_ELEMENT(KioskController)
    QML_UNCREATABLE("Created by main() and passed to Main.qml")
};

struct AdminControllerForeign {
    Q_GADGET
    QML_FOREIGN(imhere::kiosk::AdminController)
    QML_NAMED_ELEMENT(AdminController)
    QML_UNCREATABLE("Created by main() and passed to Main.qml")
};

struct RecentCheckInModelForeign {
    Q_GADGET
    QML_FOREIGN(imhere::kiosk::RecentCheckInModel)
    QML_ANONYMOUS
};

struct RosterModelForeign {
    Q_GADGET
    QML_FOREIGN(imhere::kiosk::RosterModel)
    QML_ANONYMOUS
};

struct WindowModelForeign {
    Q_GADGET
    QML_FOREIGN(imhere::kiosk::WindowModel)
    QML_ANONYMOUS
};
