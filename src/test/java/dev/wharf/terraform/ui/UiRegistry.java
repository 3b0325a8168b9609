package dev.wharf.terraform.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.discovery.ProviderCatalog;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.mirror.MirrorCatalog;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.PackageHashes;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.web.FileUrlSigner;
import dev.wharf.terraform.web.ModuleDiscoveryApi;
import dev.wharf.terraform.web.TerraformApi;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A real docker-registry holding modules (tar.gz and zip archives with READMEs) and a signed
 * provider, stored as Wharf stores them, and a Wharf API server with the UI in front of it.
 */
final class UiRegistry implements AutoCloseable {
    static final String HOSTILE_README = """
            # Hostile module

            Harmless text before the attack.

            <script>document.title = 'pwned'; window.wharfPwned = true;</script>

            <img src="/ui/static/ui.css" alt="not an image" onerror="document.title = 'pwned-by-onerror'; window.wharfPwned = true;">

            [a link](javascript:window.wharfPwned=true)
            """;

    /** The newest acme/vpc/aws's configuration: inputs of each kind, a data source, a submodule. */
    static final Map<String, String> VPC_CONFIGURATION = Map.of("variables.tf", """
            variable "name" {
              description = "Name prefix for every object"
              type        = string
            }

            variable "cidr" {
              description = "The <b>IPv4</b> CIDR block"
              type        = string
              default     = "10.0.0.0/16"
            }

            variable "subnets" {
              type = map(object({
                cidr = string
                public = optional(bool, false)
              }))
            }

            variable "password" {
              type      = string
              sensitive = true
              default   = null
            }
            """, "network.tf", """
            terraform {
              required_providers {
                aws = {
                  source  = "hashicorp/aws"
                  version = ">= 5.0"
                }
              }
            }

            data "aws_region" "current" {}

            resource "aws_vpc" "this" {
              cidr_block = var.cidr
            }

            output "vpc_id" {
              description = "The VPC's ID"
              value       = aws_vpc.this.id
            }
            """, "modules/endpoints/main.tf", """
            variable "vpc_id" {
              type = string
            }

            resource "aws_vpc_endpoint" "s3" {
              vpc_id = var.vpc_id
            }
            """);

    final TerraformLayout layout = TerraformLayout.under("boring-registry");
    final ObjectMapper json = new ObjectMapper();
    private final Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    final ArtifactStore store;
    final MirrorStorage mirror;
    String keyId = "";

    UiRegistry(Path dir) {
        this.dir = dir;
        DockerRegistryServer registry = keep(DockerRegistryServer.anonymous(dir.resolve("registry")));
        this.store = keep(new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty())));
        this.mirror = new MirrorStorage(store, layout, dir);
    }

    /** The modules and provider every UI test walks through. */
    UiRegistry withCatalog() throws Exception {
        module("acme", "vpc", "aws", "1.0.0", false, "# VPC 1.0\n\nThe first release.\n", Map.of());
        module("acme", "vpc", "aws", "1.10.0", false, VPC_CONFIGURATION, "# VPC module\n\nBuilds a **VPC** with `public` and private subnets.\n\n"
                + "| input | type |\n|---|---|\n| cidr | string |\n", Map.of(StandardAnnotations.DESCRIPTION, "A VPC with public and private subnets",
                StandardAnnotations.SOURCE, "https://git.example.com/acme/vpc"));
        module("acme", "vpc", "aws", "1.2.0", true, "# VPC 1.2\n\nZipped.\n", Map.of());
        module("acme", "dns", "aws", "2.0.0", true, null, Map.of(StandardAnnotations.DESCRIPTION, "Route 53 zones"));
        module("evil", "readme", "aws", "0.1.0", false, HOSTILE_README, Map.of(StandardAnnotations.DESCRIPTION, "A README that attacks"));
        provider();
        mirrored("registry.terraform.io", "hashicorp", "random", "3.6.0", "linux_amd64", "darwin_arm64");
        mirrored("registry.terraform.io", "hashicorp", "random", "3.10.0", "linux_amd64");
        mirrored("registry.example.test", "acme", "dummy", "1.0.0", "linux_amd64");
        // The namespace's signing keys sit in a repository of their own, which is not a provider.
        mirror.addSigningKeys(new MirrorCoordinates("registry.terraform.io", "hashicorp", "random"),
                "{\"gpg_public_keys\":[{\"key_id\":\"34365D9472D7468F\",\"ascii_armor\":\"-\"}]}");
        return this;
    }

    /** One archive in the network mirror, for each platform given. */
    void mirrored(String host, String namespace, String type, String version, String... platforms) throws IOException {
        for (String platform : platforms) {
            String[] osArch = platform.split("_");
            Path zip = Files.write(dir.resolve(host + "-" + type + "-" + version + "-" + platform + ".zip"),
                    zip(Map.of("terraform-provider-" + type + "_v" + version, "#!/bin/sh\n")));
            mirror.storeArchive(new MirrorCoordinates(host, namespace, type), version, osArch[0], osArch[1], zip, PackageHashes.of(zip));
        }
    }

    void module(String namespace, String name, String provider, String version, boolean zip, String readme, Map<String, String> extra)
            throws IOException {
        module(namespace, name, provider, version, zip, Map.of(), readme, extra);
    }

    void module(String namespace, String name, String provider, String version, boolean zip, Map<String, String> configuration, String readme,
            Map<String, String> extra) throws IOException {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("main.tf", "output \"version\" { value = \"" + version + "\" }\n");
        files.putAll(configuration);
        if (readme != null) {
            files.put("README.md", readme);
        }
        Map<String, String> annotations = new HashMap<>(StandardAnnotations.of(name, version, Instant.parse("2026-11-02T10:00:00Z")));
        annotations.putAll(extra);
        Layer layer = zip ? Layer.file(MediaTypes.MODULE_ZIP, "module.zip", BlobSource.ofBytes(zip(files)))
                : Layer.file(MediaTypes.MODULE_TAR_GZ, "module.tar.gz", BlobSource.ofBytes(tarGz(files)));
        store.push(layout.moduleRepository(namespace, name, provider), layout.moduleTag(namespace, name, provider, version),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(layer), annotations), false);
    }

    private void provider() throws Exception {
        PgpKeys key = PgpKeys.generate("ui test <ui@wharf.invalid>");
        Path keyFile = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        ProviderService providers = new ProviderService(store, layout, json);
        keyId = new SigningKeyUploader(store, layout, providers, json).add("acme", keyFile);
        ProviderUploader uploader = new ProviderUploader(store, layout, providers, json, new ZipInspector(ArchiveLimits.DEFAULT), m -> { });
        for (String version : List.of("1.0.0", "1.1.0")) {
            Path release = Files.createDirectories(dir.resolve("release-" + version));
            StringBuilder sums = new StringBuilder();
            for (String platform : List.of("linux_amd64", "darwin_arm64")) {
                String file = "terraform-provider-dummy_" + version + "_" + platform + ".zip";
                byte[] archive = zip(Map.of("terraform-provider-dummy_v" + version, "#!/bin/sh\necho " + platform + "\n"));
                Files.write(release.resolve(file), archive);
                sums.append(Digest.sha256(archive).hex()).append("  ").append(file).append('\n');
            }
            Path sumsFile = Files.writeString(release.resolve("terraform-provider-dummy_" + version + "_SHA256SUMS"), sums);
            Files.write(release.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(Files.readAllBytes(sumsFile)));
            uploader.upload("acme", sumsFile, List.of(), false);
        }
    }

    /** Wharf's API with the UI, guarded by {@code auth}. */
    URI serve(ClientAuthentication auth) {
        return serve(auth, Optional.empty());
    }

    /** The same, over the server's own TLS when {@code tls} is given. */
    URI serve(ClientAuthentication auth, Optional<dev.wharf.http.TlsFiles> tls) {
        ModuleService modules = new ModuleService(store, layout);
        ProviderService providers = new ProviderService(store, layout, json);
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        TerraformApi api = new TerraformApi(modules, providers, auth, Optional::empty, FileUrlSigner.withRandomKey(Duration.ofMinutes(5)),
                false, json, ready);
        ModuleCatalog catalog = new ModuleCatalog(store, layout, modules, Duration.ofMinutes(1));
        ModuleDocumentation documentation = new ModuleDocumentation(modules, ArchiveLimits.DEFAULT);
        ModuleDiscoveryApi discovery = new ModuleDiscoveryApi(catalog, documentation, json, auth, ready);
        RegistryUi ui = new RegistryUi(catalog, new ProviderCatalog(store, layout, Duration.ofMinutes(1)), providers, new ModuleReadmes(modules),
                documentation, auth, Optional.of(new MirrorCatalog(store, layout, mirror, Duration.ofMinutes(1))), ready);
        // As the server runs it: repeats are answered from memory in front of the router.
        WebServer server = keep(WebServer.start(ListenAddress.parse("127.0.0.1:0"), tls, Optional.of(ready),
                (route, method, status, micros) -> { }, cfg -> {
            api.register(cfg);
            discovery.register(cfg);
            ui.register(cfg);
        }));
        return server.localUri();
    }

    static byte[] tarGz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
