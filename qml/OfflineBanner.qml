import QtQuick

// Shown while the server cannot be reached: check-ins still work and wait here.
Rectangle {
    id: root

    property bool online: true
    property int queueLength: 0
    property real unit: 10

    visible: !root.online
    height: root.visible ? label.implicitHeight + root.unit * 2 : 0
    color: Theme.offline

    Text {
        id: label
        anchors.centerIn: parent
        width: parent.width - root.unit * 4
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        font.family: Theme.fontFamily
        font.pixelSize: root.unit * 3
        font.bold: true
        color: "#000000"
        text: root.queueLength === 1 ? qsTr("Offline. 1 check-in saved here, sent when back online.")
            : root.queueLength > 1 ? qsTr("Offline. %1 check-ins saved here, sent when back online.").arg(root.queueLength)
            : qsTr("Offline. Check-ins are saved here.")
    }
}
