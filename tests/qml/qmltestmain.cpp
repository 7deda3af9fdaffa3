// Qt Quick Test runner with the kiosk's QML module linked in.
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(Imhere_KioskPlugin)

QUICK_TEST_MAIN(kiosk_qml)
