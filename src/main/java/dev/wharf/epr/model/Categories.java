package dev.wharf.epr.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The categories Fleet knows, with their titles and parents. Packages may only use these; EPR drops
 * any other category from a package with a warning, and so does Wharf.
 */
public final class Categories {
    public record Category(String id, String title, @Nullable String parent) {
    }

    private static final Map<String, Category> ALL = new LinkedHashMap<>();

    static {
        top("aws", "AWS");
        top("azure", "Azure");
        top("cloud", "Cloud");
        top("config_management", "Config management");
        top("containers", "Containers");
        top("crm", "CRM");
        top("custom", "Custom");
        sub("custom", "custom_logs", "Custom Logs");
        top("datastore", "Database");
        top("elastic_stack", "Elastic Stack");
        top("elasticsearch_sdk", "Elasticsearch SDK");
        top("enterprise_search", "Enterprise Search");
        sub("enterprise_search", "app_search", "Application Search");
        sub("enterprise_search", "connector", "Connector");
        sub("enterprise_search", "connector_client", "Connector Client");
        sub("enterprise_search", "connector_package", "Connector Package");
        sub("enterprise_search", "content_source", "Content Source");
        sub("enterprise_search", "crawler", "Crawler");
        sub("enterprise_search", "language_client", "Language Client");
        sub("enterprise_search", "native_search", "Native Search");
        sub("enterprise_search", "sdk_search", "SDK");
        sub("enterprise_search", "workplace_search", "Workplace Search");
        top("google_cloud", "Google Cloud");
        top("infrastructure", "Infrastructure");
        top("languages", "Languages");
        top("network", "Network");
        top("observability", "Observability");
        sub("observability", "application_observability", "Application");
        sub("observability", "analytics_engine", "Analytics Engine");
        sub("observability", "big_data", "Big Data");
        sub("observability", "java_observability", "Java");
        sub("observability", "kubernetes", "Kubernetes");
        sub("observability", "load_balancer", "Load Balancer");
        sub("observability", "message_queue", "Message Broker");
        sub("observability", "monitoring", "Monitoring");
        sub("observability", "notification", "Notification");
        sub("observability", "process_manager", "Process Manager");
        sub("observability", "stream_processing", "Stream Processing");
        sub("observability", "virtualization", "Virtualization Platform");
        sub("observability", "web", "Web Server");
        sub("observability", "websphere", "WebSphere Application Server");
        top("opentelemetry", "OpenTelemetry");
        top("os_system", "Operating Systems");
        top("productivity", "Productivity");
        top("security", "Security");
        for (String[] s : new String[][] {
            {"advanced_analytics_ueba", "Advanced Analytics (UEBA)"}, {"asset_inventory", "Asset Inventory"},
            {"auditd", "AuditD"}, {"authentication", "Authentication"}, {"cdn_security", "Content Delivery Network"},
            {"cloudsecurity_cdr", "Cloud Security/CDR"}, {"credential_management", "Credential Management"},
            {"database_security", "Database"}, {"dns_security", "DNS"}, {"edr_xdr", "EDR/XDR"},
            {"email_security", "Email"}, {"firewall_security", "Firewall"}, {"iam", "Identity and Access Management"},
            {"ids_ips", "IDS/IPS"}, {"misconfiguration_workflow", "Misconfiguration Workflow"},
            {"network_security", "Network"}, {"productivity_security", "Productivity"}, {"proxy_security", "Proxy"},
            {"siem", "SIEM"}, {"threat_intel", "Threat Intelligence"}, {"vpn_security", "VPN"},
            {"vulnerability_management", "Vulnerability Management"}, {"vulnerability_workflow", "Vulnerability Workflow"},
            {"web_application_firewall", "Web Application Firewall"}}) {
            sub("security", s[0], s[1]);
        }
        top("support", "Support");
        top("ticketing", "Ticketing");
        top("version_control", "Version Control");
    }

    private Categories() {
    }

    private static void top(String id, String title) {
        ALL.put(id, new Category(id, title, null));
    }

    private static void sub(String parent, String id, String title) {
        ALL.put(id, new Category(id, title, parent));
    }

    public static Optional<Category> get(String id) {
        return Optional.ofNullable(ALL.get(id));
    }

    public static boolean isKnown(String id) {
        return ALL.containsKey(id);
    }

    /** Whether {@code categories} holds {@code category} or one of its subcategories. */
    public static boolean covers(java.util.@Nullable List<String> categories, String category) {
        if (categories == null) {
            return false;
        }
        if (categories.contains(category)) {
            return true;
        }
        for (Category c : ALL.values()) {
            if (category.equals(c.parent()) && categories.contains(c.id())) {
                return true;
            }
        }
        return false;
    }
}
