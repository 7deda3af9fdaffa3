import QtQuick
import QtQuick.Controls

// A large, high-contrast touch button.
Button {
    id: root

    property real unit: 10
    property color tone: Theme.panel
    // Long labels (a class's title) may take up to three lines instead of being cut.
    property bool wrap: false

    // Never smaller than a fingertip, even on a 7" panel (44 px, as in
    // WCAG 2.5.5 and the platform guidelines).
    readonly property real minimumTouch: 44
    // Rounded up: a label given exactly its fractional width may be elided.
    implicitWidth: Math.max(Math.ceil(implicitContentWidth) + leftPadding + rightPadding, root.minimumTouch)
    implicitHeight: Math.max(implicitContentHeight + topPadding + bottomPadding, root.minimumTouch)
    font.family: Theme.fontFamily
    font.pixelSize: root.unit * 2.6
    padding: root.unit * 1.2
    contentItem: Text {
        text: root.text
        font: root.font
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: root.wrap ? Text.WordWrap : Text.NoWrap
        maximumLineCount: root.wrap ? 3 : 1
        elide: Text.ElideRight
    }
    // A disabled button must not look like one that answers a touch.
    opacity: root.enabled ? 1 : 0.4
    background: Rectangle {
        radius: root.unit * 0.6
        color: root.down ? Qt.lighter(root.tone, 1.4) : root.tone
        border.color: Theme.muted
        border.width: root.visualFocus ? 3 : 1
    }
}
