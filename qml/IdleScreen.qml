import QtQuick
import Imhere.Kiosk
import QtQuick.Layouts

// What the door shows between taps: the class, "Tap your badge", the rotating
// QR code for remote trainees with its countdown, and who is in.
Rectangle {
    id: root

    property bool ready: true
    property bool hasOpenWindow: false
    property string courseName: ""
    property string windowTitle: ""
    property int otherOpenWindows: 0
    property string qrText: ""
    property int secondsLeft: 0
    property int presentCount: 0
    property var recentModel: null
    property var remoteModel: null
    property real unit: 10

    // Landscape: details left, code right. Portrait: the code below.
    readonly property bool portrait: root.height > root.width

    color: Theme.background

    GridLayout {
        anchors.fill: parent
        anchors.margins: root.unit * 4
        columns: root.portrait ? 1 : 2
        rowSpacing: root.unit * 3
        columnSpacing: root.unit * 4

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: root.unit * 1.5

            Text {
                Layout.fillWidth: true
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 4.5
                color: Theme.accent
                text: root.hasOpenWindow ? root.courseName : qsTr("imhere")
            }
            Text {
                objectName: "windowTitle"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 6.5
                font.bold: true
                color: Theme.text
                text: !root.ready ? qsTr("Setting up…")
                    : root.hasOpenWindow ? root.windowTitle : qsTr("No class open right now")
            }
            Text {
                Layout.fillWidth: true
                visible: root.otherOpenWindows > 0
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 3
                color: Theme.muted
                // English plural forms spelled out: with no translation loaded, %n
                // plurals would show "class(es)".
                text: root.otherOpenWindows === 1 ? qsTr("and 1 other class open")
                                                  : qsTr("and %1 other classes open").arg(root.otherOpenWindows)
            }
            Item { Layout.fillHeight: true }
            Text {
                objectName: "callToAction"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * (root.hasOpenWindow ? 11 : 5)
                font.bold: root.hasOpenWindow
                color: root.hasOpenWindow ? Theme.text : Theme.muted
                text: root.hasOpenWindow ? qsTr("Tap your badge")
                    : qsTr("A teacher or TA can open one from the volunteer screen.")
            }
            Item { Layout.fillHeight: true }
            Text {
                objectName: "presentCount"
                visible: root.hasOpenWindow
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 4.5
                color: Theme.text
                text: qsTr("%n in today", "", root.presentCount)
            }
            Flow {
                Layout.fillWidth: true
                visible: root.hasOpenWindow
                spacing: root.unit * 1.5
                Repeater {
                    model: root.recentModel
                    delegate: Rectangle {
                        required property string shortName
                        required property string time
                        color: Theme.panel
                        radius: root.unit * 0.5
                        width: recentLabel.implicitWidth + root.unit * 2.4
                        height: recentLabel.implicitHeight + root.unit * 1.2
                        Text {
                            id: recentLabel
                            anchors.centerIn: parent
                            font.family: Theme.fontFamily
                            font.pixelSize: root.unit * 3
                            color: Theme.text
                            text: parent.shortName + "  " + parent.time
                        }
                    }
                }
            }
            Flow {
                objectName: "remoteCheckIns"
                Layout.fillWidth: true
                visible: root.hasOpenWindow && remoteRepeater.count > 0
                spacing: root.unit * 1.5
                Text {
                    font.family: Theme.fontFamily
                    font.pixelSize: root.unit * 3
                    color: Theme.late
                    text: qsTr("Remote, waiting for a mentor:")
                }
                Repeater {
                    id: remoteRepeater
                    model: root.remoteModel
                    delegate: Text {
                        required property string shortName
                        required property string time
                        font.family: Theme.fontFamily
                        font.pixelSize: root.unit * 3
                        color: Theme.late
                        text: shortName + " " + time
                    }
                }
            }
        }

        ColumnLayout {
            Layout.preferredWidth: root.portrait ? Math.min(root.width * 0.6, root.height * 0.34)
                                                 : Math.min(root.height * 0.62, root.width * 0.4)
            Layout.maximumWidth: Layout.preferredWidth
            Layout.alignment: root.portrait ? Qt.AlignHCenter | Qt.AlignTop : Qt.AlignTop
            Layout.fillHeight: !root.portrait
            visible: root.hasOpenWindow && root.qrText.length > 0
            spacing: root.unit * 1.2

            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 3.2
                color: Theme.text
                text: qsTr("Joining remotely? Scan with your phone")
            }
            QrCode {
                objectName: "qrCode"
                Layout.fillWidth: true
                Layout.preferredHeight: width
                text: root.qrText
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: root.unit
                color: Theme.panel
                Rectangle {
                    width: parent.width * root.secondsLeft / 10
                    height: parent.height
                    color: Theme.accent
                }
            }
            Text {
                objectName: "countdown"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                font.family: Theme.fontFamily
                font.pixelSize: root.unit * 3
                color: Theme.muted
                text: qsTr("New code in %n s", "", root.secondsLeft)
            }
            Item { Layout.fillHeight: true }
        }
    }
}
