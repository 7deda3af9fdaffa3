import QtQuick
import QtQuick.Controls

// A large, high-contrast touch button.
Button {
    id: root

    property real unit: 10
    property color tone: Theme.panel

    font.family: Theme.fontFamily
    font.pixelSize: root.unit * 2.6
    padding: root.unit * 1.2
    contentItem: Text {
        text: root.text
        font: root.font
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: root.unit * 0.6
        color: root.down ? Qt.lighter(root.tone, 1.4) : root.tone
        border.color: Theme.muted
        border.width: root.visualFocus ? 3 : 1
    }
}
