// tools/opensearch — one OpenSearch 2.19 node inside this JVM, for sysgrok's tests and demos.
//
// Usage: java -cp <classpath> org.sysgrok.opensearch.Main --home DIR [--port N] [--url-file FILE]
// Binds HTTP to 127.0.0.1 (a free port unless --port), waits for the cluster to be at least
// yellow, writes "http://127.0.0.1:PORT" to --url-file and stdout, and runs until stdin
// closes, SIGTERM, or the file DIR/stop appears. Data lives in DIR/data, so a node started
// again with the same --home finds its indices again.
package org.sysgrok.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

public final class Main {
    /** Node's plugin-taking constructor is protected; classpath plugins need no install. */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        String home = null;
        String port = "0";
        String urlFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home": home = args[++i]; break;
                case "--port": port = args[++i]; break;
                case "--url-file": urlFile = args[++i]; break;
                default:
                    System.err.println("opensearch harness: unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        if (home == null) {
            System.err.println("usage: Main --home DIR [--port N] [--url-file FILE]");
            System.exit(2);
        }
        Path homeDir = Paths.get(home).toAbsolutePath();
        Path logs = homeDir.resolve("logs");
        Files.createDirectories(homeDir.resolve("data"));
        Files.createDirectories(logs);
        Files.createDirectories(homeDir.resolve("modules"));
        Files.createDirectories(homeDir.resolve("plugins"));
        Files.createDirectories(homeDir.resolve("config"));
        Files.deleteIfExists(logs.resolve("http.ports"));
        Files.deleteIfExists(homeDir.resolve("stop"));

        Settings settings = Settings.builder()
            .put("path.home", homeDir.toString())
            .put("path.data", homeDir.resolve("data").toString())
            .put("path.logs", logs.toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "0")
            .put("node.portsfile", true)
            .put("discovery.type", "single-node")
            .put("cluster.name", "sysgrok-test")
            .put("node.name", "sysgrok-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("http.max_content_length", "200mb")
            .put("action.auto_create_index", true)
            .build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), homeDir.resolve("config"), () -> "sysgrok-node");
        List<Class<? extends Plugin>> plugins = List.of(
            org.opensearch.transport.Netty4Plugin.class,
            org.opensearch.analysis.common.CommonAnalysisPlugin.class,
            org.opensearch.index.mapper.MapperExtrasPlugin.class);
        EmbeddedNode node = new EmbeddedNode(env, plugins);
        node.start();

        String url = "http://127.0.0.1:" + readPort(logs.resolve("http.ports"));
        waitForYellow(url);
        if (urlFile != null) {
            Path tmp = Paths.get(urlFile + ".tmp");
            Files.writeString(tmp, url + "\n");
            Files.move(tmp, Paths.get(urlFile), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println(url);
        System.out.flush();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(node)));
        Thread stdinWatch = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // ignore input; EOF means the parent is gone
                }
            } catch (IOException e) {
                // treat as EOF
            }
            System.exit(0);
        });
        stdinWatch.setDaemon(true);
        if (!"detached".equals(System.getProperty("sysgrok.stdin"))) {
            stdinWatch.start();
        }
        Path stop = homeDir.resolve("stop");
        while (!Files.exists(stop)) {
            Thread.sleep(200);
        }
        System.exit(0);
    }

    private static void closeQuietly(Node node) {
        try {
            node.close();
        } catch (IOException e) {
            System.err.println("opensearch harness: close failed: " + e);
        }
    }

    private static String readPort(Path portsFile) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (Files.exists(portsFile)) {
                String s = Files.readString(portsFile, StandardCharsets.UTF_8).trim();
                if (!s.isEmpty()) {
                    String first = s.split("\\s+")[0];
                    return first.substring(first.lastIndexOf(':') + 1);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node did not write " + portsFile);
    }

    private static void waitForYellow(String url) throws Exception {
        Exception last = null;
        for (int i = 0; i < 240; i++) {
            try {
                HttpURLConnection c = (HttpURLConnection) new URL(
                    url + "/_cluster/health?wait_for_status=yellow&timeout=1s").openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("cluster did not become yellow", last);
    }
}
