import QtQuick
import QtQuick.Controls

// A text field in the kiosk's dark, high-contrast colours.
TextField {
    id: root

    property real unit: 10

    implicitHeight: Math.max(contentHeight + topPadding + bottomPadding, 44) // a fingertip, like BigButton
    font.family: Theme.fontFamily
    font.pixelSize: root.unit * 2.6
    color: Theme.text
    placeholderTextColor: Theme.muted
    padding: root.unit
    background: Rectangle {
        color: Theme.panel
        radius: root.unit * 0.6
        border.color: root.activeFocus ? Theme.accent : Theme.muted
        border.width: root.activeFocus ? 3 : 1
    }
}
