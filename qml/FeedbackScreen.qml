import QtQuick

// The result of a tap, shown for a few seconds over the idle screen.
Rectangle {
    id: root

    // "success", "late", "already", "unknown", "closed", "notready", "failed"
    property string kind: "success"
    property string name: ""
    property string detail: ""
    property real unit: 10

    signal dismissed()

    readonly property bool good: root.kind === "success" || root.kind === "late" || root.kind === "already"
    readonly property color ink: root.kind === "late" ? "#000000" : Theme.text

    color: root.kind === "success" ? Theme.success
         : root.kind === "late" ? Theme.late
         : root.kind === "already" ? Theme.notice
         : root.kind === "closed" || root.kind === "notready" ? Theme.notice
         : Theme.failure

    Column {
        anchors.centerIn: parent
        width: parent.width - root.unit * 8
        spacing: root.unit * 2

        Text {
            objectName: "symbol"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.family: Theme.fontFamily
            font.pixelSize: root.unit * 16
            font.bold: true
            color: root.ink
            // Glyphs present in DejaVu Sans (the kiosk image has no emoji font).
            text: root.good ? "✓" : root.kind === "closed" ? "‖" : "!"
        }
        Text {
            objectName: "headline"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: root.unit * 9
            font.bold: true
            color: root.ink
            text: root.kind === "unknown" ? qsTr("Badge not recognised")
                : root.kind === "closed" ? (root.name.length > 0 ? root.name : qsTr("No class open"))
                : root.kind === "notready" ? qsTr("Not ready yet")
                : root.kind === "failed" ? qsTr("Not saved")
                : root.name
        }
        Text {
            objectName: "detail"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            font.family: Theme.fontFamily
            font.pixelSize: root.unit * 6
            color: root.ink
            text: root.detail
        }
    }

    TapHandler {
        onTapped: (eventPoint, button) => root.dismissed()
    }
}
