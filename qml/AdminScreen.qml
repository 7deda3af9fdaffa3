import QtQuick
import Imhere.Kiosk
import QtQuick.Layouts

// The volunteer screen: sign in with badge + PIN, then windows, roster,
// remote check-ins and badge enrolment. Every button forwards an intent.
Rectangle {
    id: root

    required property AdminController admin
    property var remoteModel: null
    property real unit: 10

    color: Theme.background

    RowLayout {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.unit * 2 }
        Text {
            Layout.fillWidth: true
            font.family: Theme.fontFamily
            font.pixelSize: root.unit * 4
            font.bold: true
            color: Theme.text
            text: root.admin.stage === AdminController.Session ? qsTr("Volunteer: %1").arg(root.admin.staffName)
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
            visible: root.admin.stage === AdminController.Pin
            unit: root.unit
            enabledPad: root.admin.lockedSeconds === 0
            onSubmitted: (pin) => root.admin.submitPin(pin)
        }
    }

    // Session.
    RowLayout {
        anchors { left: parent.left; right: parent.right; top: message.bottom; bottom: parent.bottom; margins: root.unit * 2 }
        visible: root.admin.stage === AdminController.Session
        spacing: root.unit * 2

        ColumnLayout {
            Layout.preferredWidth: root.width * 0.3
            Layout.maximumWidth: root.width * 0.3
            Layout.fillHeight: true
            spacing: root.unit

            Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 3; color: Theme.text; text: qsTr("Open classes") }
            Repeater {
                model: root.admin.windows
                delegate: RowLayout {
                    required property string windowId
                    required property string courseName
                    required property string title
                    required property string opened
                    Layout.fillWidth: true
                    BigButton {
                        Layout.fillWidth: true
                        Layout.maximumWidth: root.width * 0.22
                        unit: root.unit * 0.9
                        tone: windowId === root.admin.selectedWindow ? Theme.notice : Theme.panel
                        text: courseName + " · " + title + " " + opened
                        onClicked: root.admin.selectWindow(windowId)
                    }
                    BigButton { unit: root.unit * 0.9; tone: Theme.failure; text: qsTr("Close"); onClicked: root.admin.closeWindow(windowId) }
                }
            }
            Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 3; color: Theme.text; text: qsTr("Open a class now") }
            EntryField {
                id: titleField
                Layout.fillWidth: true
                unit: root.unit
                placeholderText: qsTr("Title, e.g. Week 4 · Promises")
            }
            Repeater {
                model: root.admin.courses
                delegate: BigButton {
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.maximumWidth: root.width * 0.3
                    unit: root.unit * 0.9
                    text: qsTr("Open for %1").arg(modelData.name)
                    onClicked: root.admin.openWindow(modelData.id, titleField.text)
                }
            }
            Text {
                visible: root.admin.rejectedCount > 0
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 2.2
                color: Theme.late
                text: qsTr("%n event(s) refused by the server; see the dashboard.", "", root.admin.rejectedCount)
            }
            Item { Layout.fillHeight: true }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: root.unit

            RowLayout {
                Layout.fillWidth: true
                Text { font.family: Theme.fontFamily; font.pixelSize: root.unit * 3; color: Theme.text; text: qsTr("Roster") }
                Item { Layout.fillWidth: true; visible: !root.admin.canCorrect }
                EntryField {
                    id: reasonField
                    visible: root.admin.canCorrect
                    Layout.fillWidth: true
                    unit: root.unit
                    placeholderText: qsTr("Reason for a correction")
                }
                BigButton {
                    visible: root.admin.hasPendingBadge
                    unit: root.unit * 0.9
                    text: qsTr("Forget new badge")
                    onClicked: root.admin.forgetPendingBadge()
                }
            }
            Repeater {
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
            ListView {
                objectName: "roster"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: root.unit * 0.5
                model: root.admin.roster
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
