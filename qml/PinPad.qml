import QtQuick
import QtQuick.Layouts

// Digits for a PIN; shows dots, never the digits. Emits submitted(pin).
ColumnLayout {
    id: root

    property int maxDigits: 12
    property int minDigits: 4
    property real unit: 10
    property bool enabledPad: true
    readonly property int length: entered.length
    property string entered: ""

    signal submitted(string pin)

    function press(key) {
        if (!root.enabledPad)
            return;
        if (key === "⌫")
            root.entered = root.entered.slice(0, -1);
        else if (key === "OK") {
            if (root.entered.length >= root.minDigits) {
                root.submitted(root.entered);
                root.entered = "";
            }
        } else if (root.entered.length < root.maxDigits)
            root.entered += key;
    }

    spacing: root.unit

    Text {
        objectName: "dots"
        Layout.alignment: Qt.AlignHCenter
        font.family: Theme.fontFamily
        font.pixelSize: root.unit * 5
        color: Theme.text
        text: root.entered.length > 0 ? "●".repeat(root.entered.length) : " "
    }
    GridLayout {
        Layout.alignment: Qt.AlignHCenter
        columns: 3
        rowSpacing: root.unit
        columnSpacing: root.unit
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
            delegate: BigButton {
                required property string modelData
                objectName: "key" + modelData
                unit: root.unit
                text: modelData
                enabled: root.enabledPad
                tone: modelData === "OK" ? Theme.success : Theme.panel
                Layout.preferredWidth: root.unit * 11
                Layout.preferredHeight: root.unit * 8
                onClicked: root.press(modelData)
            }
        }
    }
}
