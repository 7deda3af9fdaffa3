import QtQuick
import QtTest
import Imhere.Kiosk

TestCase {
    id: root
    name: "FeedbackScreen"
    when: windowShown
    width: 1000
    height: 700

    FeedbackScreen { id: screen; anchors.fill: parent; unit: 7 }

    function test_successIsGreenWithTheName() {
        screen.kind = "success"; screen.name = "Ada Lovelace"; screen.detail = "On time";
        compare(findChild(screen, "headline").text, "Ada Lovelace");
        verify(Qt.colorEqual(screen.color, Theme.success));
        verify(screen.good);
    }
    function test_lateUsesDarkInkOnAmber() {
        screen.kind = "late"; screen.detail = "Late by 12 min";
        verify(Qt.colorEqual(screen.color, Theme.late));
        verify(Qt.colorEqual(findChild(screen, "detail").color, "#000000"));
    }
    function test_unknownBadgeAsksForAVolunteer() {
        screen.kind = "unknown"; screen.name = ""; screen.detail = "Please ask a volunteer.";
        compare(findChild(screen, "headline").text, "Badge not recognised");
        verify(!screen.good);
        verify(Qt.colorEqual(screen.color, Theme.failure));
    }
    function test_noOpenWindowNamesThePerson() {
        screen.kind = "closed"; screen.name = "Alan Turing";
        compare(findChild(screen, "headline").text, "Alan Turing");
    }
}
