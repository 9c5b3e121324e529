package im.parley.sinttest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.igniterealtime.smack.inttest.FailedTest;
import org.igniterealtime.smack.inttest.SuccessfulTest;
import org.igniterealtime.smack.inttest.TestNotPossible;
import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework.TestRunResult;

/**
 * What one run of Smack's integration tests did: passed, failed (with the cause), not
 * possible (the framework's own verdict, with its reason) and disabled by {@link SinttestPlan}.
 */
record SinttestSummary(List<String> passed, Map<String, String> failed, Map<String, String> impossible,
                       Map<String, String> passedOnRetry) {

    static SinttestSummary of(List<TestRunResult> results) {
        List<String> passed = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        Map<String, String> impossible = new TreeMap<>();
        for (TestRunResult result : results) {
            for (SuccessfulTest test : result.getSuccessfulTests()) {
                passed.add(test.concreteTest.toString());
            }
            for (FailedTest test : result.getFailedTests()) {
                failed.put(test.concreteTest.toString(), describe(test.failureReason));
            }
            for (TestNotPossible test : result.getNotPossibleTests()) {
                impossible.put(test.concreteTest.toString(), test.testNotPossibleException.getMessage());
            }
            result.getImpossibleTestClasses().forEach((type, why) ->
                    impossible.put(type.getSimpleName() + " (whole class)", String.valueOf(why.getMessage())));
        }
        passed.sort(null);
        return new SinttestSummary(passed, failed, impossible, new TreeMap<>());
    }

    /**
     * Folds in a retry of the failed tests: a test that passes the second time is listed as
     * flaky with its first failure, never silently as passed.
     */
    SinttestSummary withRetry(SinttestSummary retry) {
        Map<String, String> stillFailed = new TreeMap<>(failed);
        Map<String, String> flaky = new TreeMap<>(passedOnRetry);
        for (String test : retry.passed()) {
            String firstFailure = stillFailed.remove(test);
            if (firstFailure != null) {
                flaky.put(test, firstFailure);
            }
        }
        return new SinttestSummary(passed, stillFailed, impossible, flaky);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("Smack integration tests against Parley: ").append(passed.size()).append(" passed, ")
                .append(failed.size()).append(" failed, ").append(passedOnRetry.size()).append(" passed only on retry, ").append(impossible.size()).append(" not possible, ")
                .append(SinttestPlan.DISABLED_SPECIFICATIONS.size()).append(" specifications and ")
                .append(SinttestPlan.DISABLED_TESTS.size() + SinttestPlan.DISABLED_METHODS.size())
                .append(" tests disabled\n");
        out.append("\nFAILED\n");
        failed.forEach((test, why) -> out.append("  ").append(test).append("\n      ").append(why).append('\n'));
        out.append("\nFAILED FIRST, PASSED ON RETRY (flaky: a timing race to find; the first failure)\n");
        passedOnRetry.forEach((test, why) -> {
            out.append("  ").append(test).append("\n      ").append(why).append('\n');
            SinttestPlan.KNOWN_CLIENT_RACES.forEach((known, cause) -> {
                if (test.startsWith(known + " ")) {
                    out.append("      known cause, in the client: ").append(cause).append('\n');
                }
            });
        });
        out.append("\nPASSED\n");
        passed.forEach(test -> out.append("  ").append(test).append('\n'));
        out.append("\nNOT POSSIBLE (the framework's reason)\n");
        impossible.forEach((test, why) -> out.append("  ").append(test).append(": ").append(why).append('\n'));
        out.append("\nDISABLED SPECIFICATIONS\n");
        SinttestPlan.DISABLED_SPECIFICATIONS.forEach((spec, why) ->
                out.append("  ").append(spec).append(": ").append(why).append('\n'));
        out.append("\nDISABLED TESTS\n");
        SinttestPlan.DISABLED_TESTS.forEach((test, why) ->
                out.append("  ").append(test).append(": ").append(why).append('\n'));
        SinttestPlan.DISABLED_METHODS.forEach((test, why) ->
                out.append("  ").append(test.substring(test.lastIndexOf('.', test.lastIndexOf('.') - 1) + 1))
                        .append(": ").append(why).append('\n'));
        out.append("\nRUN IN A PASS OF THEIR OWN (included in PASSED/FAILED above)\n");
        SinttestPlan.OWN_PASS.forEach((test, why) ->
                out.append("  ").append(test).append(": ").append(why).append('\n'));
        return out.toString();
    }

    /** The failure and its causes on one line each, plus the frame in the test that failed. */
    private static String describe(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        StringBuilder out = new StringBuilder(String.valueOf(failure));
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Caused by:") || trimmed.startsWith("at org.jivesoftware.smack")
                    && trimmed.contains("IntegrationTest") || trimmed.startsWith("at org.jivesoftware.smack")
                    && trimmed.contains("Test.")) {
                out.append("\n      ").append(trimmed);
                if (trimmed.startsWith("at ")) {
                    break;
                }
            }
        }
        return out.toString();
    }
}
