package im.parley.sinttest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which of Smack's integration tests apply to Parley, and why the others do not. The framework
 * takes the keys as {@code disabledSpecifications} / {@code disabledTests}; the reasons go into
 * the summary so that a disabled test is never silent.
 */
final class SinttestPlan {

    /** Whole specifications Parley does not implement (yet), with the reason. */
    static final Map<String, String> DISABLED_SPECIFICATIONS = disabledSpecifications();

    /** Single test classes or methods that cannot apply, with the reason. */
    static final Map<String, String> DISABLED_TESTS = disabledTests();

    private SinttestPlan() {
    }

    private static Map<String, String> disabledSpecifications() {
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put("XEP-0045", "Multi-User Chat: Parley hosts no MUC service");
        specs.put("XEP-0048", "Bookmarks (MultiUserChatLowLevelIntegrationTest): needs a MUC service");
        specs.put("XEP-0060", "Publish-Subscribe: Parley hosts no pubsub service");
        specs.put("XEP-0080", "User Location: a PEP (XEP-0163) payload; Parley has no PEP");
        specs.put("XEP-0107", "User Mood: a PEP (XEP-0163) payload; Parley has no PEP");
        specs.put("XEP-0118", "User Tune: a PEP (XEP-0163) payload; Parley has no PEP");
        specs.put("XEP-0313", "Message Archive Management: not implemented");
        specs.put("XEP-0363", "HTTP File Upload: Parley offers no upload service");
        specs.put("XEP-0374", "OpenPGP for XMPP: keys are published over PEP (XEP-0163), which Parley lacks");
        specs.put("XEP-0384", "OMEMO: device lists and bundles are published over PEP (XEP-0163), which Parley lacks");
        return specs;
    }

    private static Map<String, String> disabledTests() {
        Map<String, String> tests = new LinkedHashMap<>();
        // These construct extra connections for throw-away accounts, which the framework creates
        // with XEP-0077 in-band registration or XEP-0133 admin commands; the run logs in with
        // three pre-created accounts instead, so it cannot create more.
        String needsAccountCreation = "creates throw-away accounts (XEP-0077 or XEP-0133); "
                + "this run uses three pre-created accounts";
        for (String test : new String[] {"LoginIntegrationTest", "StreamManagementTest",
                "WaitForClosingStreamElementTest", "XmppConnectionIntegrationTest",
                "ModularXmppClientToServerConnectionLowLevelIntegrationTest", "SimpleXmppConnectionIntegrationTest",
                "LowLevelRosterIntegrationTest"}) {
            tests.put(test, needsAccountCreation);
        }
        tests.put("IoTDiscoveryIntegrationTest",
                "XEP-0347 discovery needs a Thing registry component; Parley hosts none");
        return tests;
    }
}
