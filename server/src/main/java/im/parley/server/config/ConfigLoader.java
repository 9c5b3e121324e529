package im.parley.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import im.parley.server.module.ModuleCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the YAML configuration file (keys in snake_case, as ejabberd's). Every key is optional:
 * a missing key keeps its value from {@link ParleyConfig#defaults()}, and a partial section
 * keeps the defaults of the keys it leaves out. Unknown keys, wrong types and out-of-range
 * values are errors naming the key path and line. The options are declared in
 * {@link ParleyOptions} and by the modules ({@link ConfigSchema}); docs/configuration.md is
 * generated from them.
 */
public final class ConfigLoader {

    private final ConfigSchema schema;
    /** Where problems go when every one is wanted ({@link #check}); null: the first one is thrown. */
    private final List<ConfigException> problems;

    private ConfigLoader(ConfigSchema schema, List<ConfigException> problems) {
        this.schema = schema;
        this.problems = problems;
    }

    /**
     * What {@link #load} finds wrong with a file, every problem rather than the first: a key's
     * problem does not hide the next key's. The configuration is read with the problem keys left
     * at their defaults; empty when the file cannot be read or is not YAML (then that is the one
     * problem).
     */
    public record Checked(Optional<ParleyConfig> config, List<ConfigException> problems) {
    }

    /** Checks {@code yamlFile} as {@link #load} does, collecting every problem. */
    public static Checked check(Path yamlFile) {
        List<ConfigException> problems = new ArrayList<>();
        try {
            String text = Files.readString(yamlFile, StandardCharsets.UTF_8);
            ParleyConfig config = new ConfigLoader(ModuleCatalog.discover().schema(), problems)
                    .read(text, yamlFile.toString());
            return new Checked(Optional.of(config), List.copyOf(problems));
        } catch (IOException e) {
            problems.add(new ConfigException("cannot read configuration file " + yamlFile + ": " + e, e));
        } catch (ConfigException e) {
            problems.add(e);
        }
        return new Checked(Optional.empty(), List.copyOf(problems));
    }

    /** The configuration used when there is no file. */
    public static ParleyConfig defaults() {
        return ParleyConfig.defaults();
    }

    /** Loads and checks {@code yamlFile} against the options of the modules on the class path. */
    public static ParleyConfig load(Path yamlFile) throws ConfigException {
        String text;
        try {
            text = Files.readString(yamlFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + yamlFile + ": " + e, e);
        }
        return parse(text, yamlFile.toString());
    }

    /**
     * Loads and checks configuration text against the options of the modules on the class path;
     * {@code fileName} appears in error messages.
     */
    public static ParleyConfig parse(String yaml, String fileName) throws ConfigException {
        return parse(yaml, fileName, ModuleCatalog.discover().schema());
    }

    /** Loads and checks configuration text against {@code schema}. */
    public static ParleyConfig parse(String yaml, String fileName, ConfigSchema schema) throws ConfigException {
        return new ConfigLoader(schema, null).read(yaml, fileName);
    }

    private ParleyConfig read(String yaml, String fileName) throws ConfigException {
        YAMLFactory factory = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        JsonNode root;
        ConfigSource source;
        try {
            root = YamlTree.read(factory, yaml);
            source = ConfigSource.of(fileName, yaml, factory);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String line = where == null || where.getLineNr() < 1 ? "" : ", line " + where.getLineNr();
            throw new ConfigException("invalid YAML (" + fileName + line + "): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + fileName + ": " + e, e);
        }
        ParleyConfig config = ParleyConfig.defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return config;
        }
        config = applySection(config, root, "", source);
        ParleyConfig read = config;
        report(() -> checkCertificateDomains(read, source), null);
        report(() -> checkHostedDomainLists(read, source), null);
        report(() -> checkModuleNames(read, source), null);
        report(() -> ClusterOptions.check(read, source), null);
        return config;
    }

    /** A step of reading that may find a problem. */
    private interface Step<T> {
        T run() throws ConfigException;
    }

    /**
     * Runs a step: its problem is thrown, or collected when every problem is wanted, and then
     * {@code fallback} stands for the step's result.
     */
    private <T> T report(Step<T> step, T fallback) throws ConfigException {
        try {
            return step.run();
        } catch (ConfigException e) {
            if (problems == null) {
                throw e;
            }
            problems.add(e);
            return fallback;
        }
    }

    private ParleyConfig applySection(ParleyConfig config, JsonNode section, String path, ConfigSource source)
            throws ConfigException {
        if (section.isNull() || (section.isTextual() && section.textValue().isEmpty())) {
            return config; // an empty section ("c2s:", read as null or "") keeps every default
        }
        if (!section.isObject()) {
            throw source.error(path, "expected a section with the keys " + knownKeys(path)
                    + ", got " + ValueType.describe(section));
        }
        for (Map.Entry<String, JsonNode> entry : section.properties()) {
            String key = ConfigSource.child(path, entry.getKey());
            ParleyConfig before = config;
            config = report(() -> applyEntry(before, key, entry.getValue(), path, source), before);
        }
        return config;
    }

    private ParleyConfig applyEntry(ParleyConfig config, String key, JsonNode value, String path, ConfigSource source)
            throws ConfigException {
        ConfigOption<?> option = schema.option(key);
        if (option != null) {
            return option.apply(config, value, source);
        } else if (schema.sections().containsKey(key)) {
            return applySection(config, value, key, source);
        }
        throw source.error(key, "unknown key (known keys " + (path.isEmpty() ? "at the top level" : "in " + path)
                + ": " + knownKeys(path) + ")");
    }

    /**
     * Certificates only make sense for hosts of this server: its domains and their service domains
     * ({@code upload.example.org}), which modules create only at start.
     */
    private static Void checkCertificateDomains(ParleyConfig config, ConfigSource source) throws ConfigException {
        for (String domain : config.tls().certificates().keySet()) {
            if (config.domains().stream().noneMatch(hosted -> domain.equals(hosted) || domain.endsWith("." + hosted))) {
                throw source.error("tls.certificates." + domain, "domain " + domain + " is neither configured nor a "
                        + "service domain of one (domains: " + String.join(", ", config.domains()) + ")");
            }
        }
        return null;
    }

    /** Options of type {@link ValueType#HOSTED_DOMAIN_LIST} name only domains this server hosts. */
    private Void checkHostedDomainLists(ParleyConfig config, ConfigSource source) throws ConfigException {
        for (ConfigOption<?> option : schema.options()) {
            if (option.type() != ValueType.HOSTED_DOMAIN_LIST) {
                continue;
            }
            List<?> domains = (List<?>) option.getter().apply(config);
            for (int i = 0; i < domains.size(); i++) {
                if (!config.domains().contains(domains.get(i))) {
                    throw source.error(option.key() + "[" + i + "]", "domain " + domains.get(i)
                            + " is not configured (domains: " + String.join(", ", config.domains()) + ")");
                }
            }
        }
        return null;
    }

    /** {@code modules.disabled} and {@code modules.disabled_on} name modules that exist, on hosted domains. */
    private Void checkModuleNames(ParleyConfig config, ConfigSource source) throws ConfigException {
        checkModuleNames("modules.disabled", config.modules().disabled(), source);
        for (Map.Entry<String, List<String>> entry : config.modules().disabledOn().entrySet()) {
            String key = ConfigSource.child("modules.disabled_on", entry.getKey());
            if (!config.domains().contains(entry.getKey())) {
                throw source.error(key, "domain " + entry.getKey() + " is not configured (domains: "
                        + String.join(", ", config.domains()) + ")");
            }
            checkModuleNames(key, entry.getValue(), source);
        }
        return null;
    }

    private void checkModuleNames(String key, List<String> names, ConfigSource source) throws ConfigException {
        for (int i = 0; i < names.size(); i++) {
            if (!schema.moduleNames().contains(names.get(i))) {
                throw source.error(key + "[" + i + "]", "no module is named " + names.get(i)
                        + " (modules: " + String.join(", ", schema.moduleNames()) + ")");
            }
        }
    }

    private String knownKeys(String section) {
        List<String> keys = new ArrayList<>();
        for (ConfigOption<?> option : schema.options()) {
            String name = option.section().equals(section) ? option.name() : null;
            if (section.isEmpty() && !option.section().isEmpty()) {
                name = option.section();
            }
            if (name != null && !keys.contains(name)) {
                keys.add(name);
            }
        }
        return String.join(", ", keys);
    }
}
