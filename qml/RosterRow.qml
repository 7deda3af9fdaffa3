import QtQuick
import QtQuick.Layouts

// One person in the admin roster: status, flags, and the corrections a
// volunteer can make. Forwards intents only.
Rectangle {
    id: root

    required property string person
    required property string name
    required property string role
    required property string status
    required property string time
    required property var flags
    required property string lastEventId
    property real unit: 10
    property bool offerBadge: false
    property bool offerCorrections: false

    signal presentRequested(string person, string base)
    signal absentRequested(string person, string base)
    signal flagToggled(string person, string flag, bool set)
    signal badgeRequested(string person)

    implicitHeight: row.implicitHeight + root.unit * 1.2
    color: Theme.panel
    radius: root.unit * 0.4

    ColumnLayout {
        id: row
        anchors.fill: parent
        anchors.margins: root.unit * 0.6
        spacing: root.unit * 0.5

        RowLayout {
            Layout.fillWidth: true
            spacing: root.unit
            Text {
                Layout.fillWidth: true
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 2.6
                color: Theme.text
                text: root.name + (root.role !== "student" ? " (" + root.role + ")" : "")
            }
            Text {
                objectName: "status"
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 2.4
                color: root.status === "absent" || root.status === "not in yet" ? Theme.late : Theme.text
                text: root.status + (root.time.length > 0 ? " · " + root.time : "")
            }
        }
        Flow {
            Layout.fillWidth: true
            spacing: root.unit * 0.6
            BigButton { visible: root.offerCorrections; unit: root.unit * 0.9; text: qsTr("Present"); onClicked: root.presentRequested(root.person, root.lastEventId) }
            BigButton { visible: root.offerCorrections; unit: root.unit * 0.9; text: qsTr("Absent"); onClicked: root.absentRequested(root.person, root.lastEventId) }
            Repeater {
                model: [["LEFT_EARLY", qsTr("Left early")], ["CAMERA_OFF", qsTr("Camera off")],
                        ["LOW_PARTICIPATION", qsTr("Low participation")]]
                delegate: BigButton {
                    required property var modelData
                    readonly property bool isSet: root.flags.indexOf(modelData[0]) >= 0
                    unit: root.unit * 0.9
                    text: (isSet ? "✓ " : "") + modelData[1]
                    tone: isSet ? Theme.notice : Theme.background
                    onClicked: root.flagToggled(root.person, modelData[0], !isSet)
                }
            }
            BigButton {
                visible: root.offerBadge
                unit: root.unit * 0.9
                tone: Theme.success
                text: qsTr("Give badge")
                onClicked: root.badgeRequested(root.person)
            }
        }
    }
}
