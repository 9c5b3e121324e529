package im.parley.bench.scenario;

/** One bounded load scenario of issue 7; it logs its own users in and out. */
public interface Scenario {

    /** The short name used in the summary line and the JSON file name. */
    String name();

    ScenarioResult run(BenchContext context) throws InterruptedException;
}
