import QtQuick
import QtTest
import Imhere.Kiosk

TestCase {
    id: root
    name: "PinPad"
    when: windowShown
    width: 800
    height: 800

    PinPad { id: pad; maxDigits: 6; minDigits: 4 }
    SignalSpy { id: submitted; target: pad; signalName: "submitted" }

    function init() { pad.entered = ""; pad.enabledPad = true; submitted.clear(); }

    function test_digitsAreHiddenAndBounded() {
        for (const d of ["1", "2", "3", "4", "5", "6", "7", "8"])
            pad.press(d);
        compare(pad.entered, "123456");
        compare(findChild(pad, "dots").text, "●●●●●●");
    }
    function test_tooShortIsNotSubmitted() {
        pad.press("1"); pad.press("2"); pad.press("3"); pad.press("OK");
        compare(submitted.count, 0);
        compare(pad.entered, "123");
    }
    function test_backspaceAndSubmitClears() {
        pad.press("9"); pad.press("9"); pad.press("⌫");
        pad.press("4"); pad.press("8"); pad.press("2"); pad.press("OK");
        compare(submitted.count, 1);
        compare(submitted.signalArguments[0][0], "9482");
        compare(pad.entered, "");
    }
    function test_lockedPadIgnoresKeys() {
        pad.enabledPad = false;
        pad.press("1");
        compare(pad.entered, "");
    }
}
