import QtQuick
import Imhere.Kiosk
import QtQuick.Controls
import QtQuick.Layouts

// The volunteer screen: sign in with badge + PIN, then windows, roster,
// remote check-ins and badge enrolment. Every button forwards an intent.
Rectangle {
    id: root

    required property AdminController admin
    property var remoteModel: null
    property real unit: 10
    // Portrait: the classes above the roster instead of beside it.
    readonly property bool portrait: root.height > root.width
    readonly property real sideWidth: root.portrait ? root.width - root.unit * 4 : root.width * 0.3

    color: Theme.background

    // What one volunteer chose or typed is not left for the next one.
    Connections {
        target: root.admin
        function onStageChanged() {
            if (root.admin.stage !== AdminController.Session) {
                reasonField.text = "";
                titleField.text = "";
            }
        }
    }

    RowLayout {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.unit * 2 }
        Text {
            Layout.fillWidth: true
            font.family: Theme.fontFamily
            font.pixelSize: root.unit * 4
            font.bold: true
            color: Theme.text
            elide: Text.ElideRight
            text: root.admin.stage === AdminController.Session ? qsTr("Volunteer: %1").arg(root.admin.staffName)
                : root.admin.stage === AdminController.Pin ? qsTr("PIN for %1").arg(root.admin.staffName)
                : qsTr("Volunteer sign-in")
        }
        BigButton {
            unit: root.unit
            text: root.admin.stage === AdminController.Session ? qsTr("Sign out") : qsTr("Cancel")
            onClicked: root.admin.cancel()
        }
    }
    Text {
        id: message
        objectName: "adminMessage"
        anchors { left: parent.left; right: parent.right; top: header.bottom; margins: root.unit * 2 }
        wrapMode: Text.WordWrap
        font.family: Theme.fontFamily
        font.pixelSize: root.unit * 3
        color: root.admin.lockedSeconds > 0 ? Theme.late : Theme.accent
        text: root.admin.message
    }

    // Sign-in: badge, then PIN.
    Item {
        anchors { left: parent.left; right: parent.right; top: message.bottom; bottom: parent.bottom }
        visible: root.admin.stage !== AdminController.Session
        Text {
            anchors.centerIn: parent
            visible: root.admin.stage === AdminController.WaitingForBadge
            font.family: Theme.fontFamily
            font.pixelSize: root.unit * 8
            font.bold: true
            color: Theme.text
            text: qsTr("Tap your badge")
        }
        PinPad {
            objectName: "pinPad"
            anchors.centerIn: parent
            visible: root.admin.stage === AdminController.Pin && root.admin.lockedSeconds === 0
            unit: root.unit
            enabledPad: root.admin.lockedSeconds === 0
            onSubmitted: (pin) => root.admin.submitPin(pin)
        }
        // After too many wrong PINs: no keys to press, and how long is left.
        Column {
            objectName: "pinLocked"
            anchors.centerIn: parent
            width: parent.width - root.unit * 8
            visible: root.admin.stage === AdminController.Pin && root.admin.lockedSeconds > 0
            spacing: root.unit * 2
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 8
                font.bold: true
                color: Theme.late
                text: qsTr("PIN locked")
            }
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 4
                color: Theme.text
                text: root.admin.lockedSeconds > 60
                      ? qsTr("Try again in %1 min.").arg(Math.ceil(root.admin.lockedSeconds / 60))
                      : qsTr("Try again in %1 s.").arg(root.admin.lockedSeconds)
            }
        }
    }

    // Session.
    GridLayout {
        anchors { left: parent.left; right: parent.right; top: message.bottom; bottom: parent.bottom; margins: root.unit * 2 }
        visible: root.admin.stage === AdminController.Session
        columns: root.portrait ? 1 : 2
        rowSpacing: root.unit * 2
        columnSpacing: root.unit * 2

        ColumnLayout {
            Layout.preferredWidth: root.sideWidth
            Layout.maximumWidth: root.sideWidth
            Layout.fillHeight: !root.portrait
            spacing: root.unit

            Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 3; color: Theme.text; text: qsTr("Open classes") }
            // Repeaters sit in a Column, not straight in the layout: Qt 6.4's
            // layouts keep a delegate the model just removed until their next
            // polish, and a resize before it (the offline banner going away)
            // read the deleted item and crashed the kiosk.
            Column {
                Layout.fillWidth: true
                visible: windowRepeater.count > 0
                spacing: root.unit
            Repeater {
                id: windowRepeater
                model: root.admin.windows
                delegate: RowLayout {
                    required property string windowId
                    required property string courseName
                    required property string title
                    required property string opened
                    width: parent ? parent.width : 0
                    BigButton {
                        Layout.fillWidth: true
                        Layout.maximumWidth: root.sideWidth * 0.75
                        unit: root.unit * 0.9
                        wrap: true
                        tone: windowId === root.admin.selectedWindow ? Theme.notice : Theme.panel
                        text: title + "\n" + courseName + " · " + opened
                        onClicked: root.admin.selectWindow(windowId)
                    }
                    BigButton { unit: root.unit * 0.9; tone: Theme.failure; text: qsTr("Close"); onClicked: root.admin.closeWindow(windowId) }
                }
            }
            }
            Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 3; color: Theme.text; text: qsTr("Open a class now") }
            EntryField {
                id: titleField
                Layout.fillWidth: true
                unit: root.unit
                placeholderText: qsTr("Title, e.g. Week 4 · Promises")
            }
            Column {
                Layout.fillWidth: true
                visible: courseRepeater.count > 0
                spacing: root.unit
                Repeater {
                    id: courseRepeater
                    model: root.admin.courses
                    delegate: BigButton {
                        required property var modelData
                        width: parent ? Math.min(parent.width, root.sideWidth) : 0
                        unit: root.unit * 0.9
                        text: qsTr("Open for %1").arg(modelData.name)
                        onClicked: root.admin.openWindow(modelData.id, titleField.text)
                    }
                }
            }
            Text {
                visible: root.admin.rejectedCount > 0
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 2.2
                color: Theme.late
                text: root.admin.rejectedCount === 1
                      ? qsTr("1 event refused by the server; see the dashboard.")
                      : qsTr("%1 events refused by the server; see the dashboard.").arg(root.admin.rejectedCount)
            }
            Item { Layout.fillHeight: true; visible: !root.portrait }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: root.unit

            RowLayout {
                Layout.fillWidth: true
                Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 3; color: Theme.text; text: qsTr("Roster") }
                Item { Layout.fillWidth: true }
                BigButton {
                    visible: root.admin.hasPendingBadge
                    unit: root.unit * 0.9
                    text: qsTr("Forget new badge")
                    onClicked: root.admin.forgetPendingBadge()
                }
            }
            // The reason sent with Present / Absent. A door kiosk has a touch
            // screen and often no keyboard, so the usual reasons are one touch.
            Flow {
                objectName: "reasons"
                Layout.fillWidth: true
                visible: root.admin.canCorrect
                spacing: root.unit * 0.6
                Text {
                    height: reasonField.height
                    verticalAlignment: Text.AlignVCenter
                    font.family: Theme.fontFamily
                    font.pixelSize: root.unit * 2.4
                    color: Theme.text
                    text: qsTr("Reason:")
                }
                Repeater {
                    model: [qsTr("Forgot badge"), qsTr("Badge did not read"), qsTr("Excused"), qsTr("Marked by mistake")]
                    delegate: BigButton {
                        required property string modelData
                        readonly property bool chosen: reasonField.text === modelData
                        unit: root.unit * 0.9
                        tone: chosen ? Theme.notice : Theme.background
                        text: (chosen ? "✓ " : "") + modelData
                        onClicked: reasonField.text = chosen ? "" : modelData
                    }
                }
                EntryField {
                    id: reasonField
                    width: root.unit * 28
                    unit: root.unit * 0.9
                    placeholderText: qsTr("or type one")
                }
            }
            Column {
                Layout.fillWidth: true
                visible: remoteRepeater.count > 0
                spacing: root.unit
            Repeater {
                id: remoteRepeater
                model: root.remoteModel
                delegate: RowLayout {
                    required property string shortName
                    required property string time
                    required property string checkInId
                    required property string person
                    required property string window
                    Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 2.4; color: Theme.late; text: qsTr("Remote: %1 at %2").arg(shortName).arg(time) }
                    BigButton { unit: root.unit * 0.9; tone: Theme.success; text: qsTr("Confirm"); onClicked: root.admin.confirmRemote(checkInId, person, window) }
                }
            }
            }
            ListView {
                objectName: "roster"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: root.unit * 0.5
                model: root.admin.roster
                ScrollIndicator.vertical: ScrollIndicator { }
                delegate: RosterRow {
                    width: ListView.view.width
                    unit: root.unit
                    offerBadge: root.admin.hasPendingBadge
                    offerCorrections: root.admin.canCorrect
                    onPresentRequested: (person, base) => root.admin.markPresent(person, reasonField.text, base)
                    onAbsentRequested: (person, base) => root.admin.markAbsent(person, reasonField.text, base)
                    onFlagToggled: (person, flag, set) => root.admin.setFlag(person, flag, set)
                    onBadgeRequested: (person) => root.admin.givePendingBadgeTo(person)
                }
            }
        }
    }
}
