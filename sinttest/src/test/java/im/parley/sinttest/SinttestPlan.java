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

    /**
     * Tests of a class disabled above that do apply, run in a second pass of their own: in
     * 4.5.0-beta5 a method in {@code disabledTests} disables its whole class
     * ({@code Configuration.isClassDisabled} only asks whether the class is named).
     */
    static final Map<String, String> RUN_ALONE = Map.of("FileTransferIntegrationTest.ibbFileTransferTest",
            "file transfer (XEP-0096) over in-band bytestreams (XEP-0047): IQs between two full JIDs");

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
        // XEP-0065 §4: the target must reach a streamhost. Smack never offers loopback
        // addresses as its own streamhost (Socks5BytestreamManager), the private network
        // namespace has nothing else, and Parley runs no XEP-0065 proxy: "no SOCKS5 proxies
        // available". The framework can only disable whole classes (see RUN_ALONE).
        tests.put("FileTransferIntegrationTest",
                "fileTransferTest (SOCKS5 bytestreams, XEP-0065) needs a streamhost: Parley runs no XEP-0065 "
                        + "proxy and Smack never offers loopback addresses, the only ones in the private network "
                        + "namespace; ibbFileTransferTest runs alone, see below");
        tests.put("IoTDiscoveryIntegrationTest",
                "XEP-0347 discovery needs a Thing registry component; Parley hosts none");
        return tests;
    }
}
