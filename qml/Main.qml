import QtQuick
import Imhere.Kiosk
import QtQuick.Window
import QtMultimedia

// The kiosk window: idle screen, tap results, offline banner, volunteer
// screen. All state comes from the two controllers main() passes in.
Window {
    id: root

    required property KioskController controller
    required property AdminController admin

    // One type unit for every size: a 16:10 landscape screen is 160 x 100 units,
    // a portrait one 100 x 160.
    readonly property real unit: root.width >= root.height
                                 ? Math.max(6, Math.min(root.height / 100, root.width / 160))
                                 : Math.max(6, Math.min(root.width / 100, root.height / 160))

    width: 1280
    height: 800
    visible: true
    color: Theme.background
    title: qsTr("imhere check-in")

    function feedbackKind(screen, late) {
        switch (screen) {
        case KioskController.CheckedIn: return late ? "late" : "success";
        case KioskController.AlreadyCheckedIn: return "already";
        case KioskController.UnknownBadge: return "unknown";
        case KioskController.NoOpenWindow: return "closed";
        case KioskController.NotReady: return "notready";
        default: return "failed";
        }
    }

    SoundEffect { id: successSound; source: "sounds/success.wav"; volume: 0.8 }
    SoundEffect { id: failureSound; source: "sounds/failure.wav"; volume: 0.8 }

    Connections {
        target: root.controller
        function onFeedbackShown(success) {
            if (success)
                successSound.play();
            else
                failureSound.play();
        }
    }

    OfflineBanner {
        id: banner
        anchors { left: parent.left; right: parent.right; top: parent.top }
        unit: root.unit
        online: root.controller.online
        queueLength: root.controller.queueLength
    }

    Item {
        anchors { left: parent.left; right: parent.right; top: banner.bottom; bottom: parent.bottom }

        IdleScreen {
            objectName: "idleScreen"
            anchors.fill: parent
            visible: !feedbackScreen.visible && !adminScreen.visible
            unit: root.unit
            ready: root.controller.ready
            hasOpenWindow: root.controller.hasOpenWindow
            courseName: root.controller.courseName
            windowTitle: root.controller.windowTitle
            otherOpenWindows: root.controller.otherOpenWindows
            qrText: root.controller.qrText
            secondsLeft: root.controller.codeSecondsLeft
            presentCount: root.controller.presentCount
            recentModel: root.controller.recentCheckIns
            remoteModel: root.controller.remoteCheckIns
        }
        BigButton {
            objectName: "volunteerButton"
            anchors { right: parent.right; bottom: parent.bottom; margins: root.unit * 2 }
            unit: root.unit
            text: qsTr("Volunteer")
            onClicked: root.admin.begin()
        }
        FeedbackScreen {
            id: feedbackScreen
            objectName: "feedbackScreen"
            anchors.fill: parent
            unit: root.unit
            visible: root.controller.screen !== KioskController.Idle && root.admin.stage === AdminController.Closed
            kind: root.feedbackKind(root.controller.screen, root.controller.feedbackLate)
            name: root.controller.feedbackName
            detail: root.controller.feedbackDetail
            onDismissed: root.controller.dismissFeedback()
        }
        AdminScreen {
            id: adminScreen
            objectName: "adminScreen"
            anchors.fill: parent
            unit: root.unit
            visible: root.admin.stage !== AdminController.Closed
            admin: root.admin
            remoteModel: root.controller.remoteCheckIns
        }
    }
}
