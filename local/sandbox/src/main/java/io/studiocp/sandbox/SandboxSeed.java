package io.studiocp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sandbox's seed file (local/seed.json): who exists, with which keys, in which network. */
record SandboxSeed(String region, String accountId, List<Admin> admins, List<Laptop> laptops,
    List<DomainSeed> domains, Police police, JsonNode raw) {

  /** The police's settings, as the template's parameters would give them. */
  record Police(String fromAddress, List<String> adminEmails, String emailPattern, String policy) {}

  record Admin(String name, String principal, String email, String accessKeyId, String secretAccessKey) {}

  /**
   * An IAM user signing from outside Studio, claiming a user profile: accepted only when the
   * profile's studiocp:principals tag names its principal.
   */
  record Laptop(String name, String principal, String domainId, String userProfile, String accessKeyId,
      String secretAccessKey) {}

  record Subnet(String zone) {}

  record User(String domainId, String name, long uid, String executionRole, String accessKeyId,
      String secretAccessKey) {

    /** How API Gateway sees a call from this user's Studio app: a session of their execution role. */
    String principal() {
      String role = executionRole.substring(executionRole.lastIndexOf('/') + 1);
      String account = executionRole.split(":")[4];
      return "arn:aws:sts::" + account + ":assumed-role/" + role + "/SageMaker";
    }
  }

  record DomainSeed(String domainId, List<Subnet> subnets, List<User> users, JsonNode raw) {}

  /** A key pair the gateway accepts, and the principal it stands for. */
  record Credential(String accessKeyId, String secretAccessKey, String principal) {}

  static SandboxSeed read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the seed " + file + ": " + e.getMessage(), e);
    }
    List<Admin> admins = new ArrayList<>();
    for (JsonNode a : root.path("admins")) {
      admins.add(new Admin(text(a, "name"), text(a, "principal"), a.path("email").asText(null),
          text(a, "accessKeyId"), text(a, "secretAccessKey")));
    }
    List<Laptop> laptops = new ArrayList<>();
    for (JsonNode l : root.path("laptops")) {
      laptops.add(new Laptop(text(l, "name"), text(l, "principal"), text(l, "domainId"), text(l, "userProfile"),
          text(l, "accessKeyId"), text(l, "secretAccessKey")));
    }
    List<DomainSeed> domains = new ArrayList<>();
    for (JsonNode d : root.path("domains")) {
      String domainId = text(d, "domainId");
      List<Subnet> subnets = new ArrayList<>();
      for (JsonNode s : d.path("network").path("subnets")) {
        subnets.add(new Subnet(text(s, "zone")));
      }
      if (subnets.isEmpty()) {
        throw new IllegalArgumentException("domain " + domainId + " in the seed needs network.subnets");
      }
      List<User> users = new ArrayList<>();
      for (JsonNode u : d.path("userProfiles")) {
        users.add(new User(domainId, text(u, "name"), u.path("uid").asLong(200000),
            u.path("executionRole").asText(d.path("executionRole").asText(null)),
            text(u, "accessKeyId"), text(u, "secretAccessKey")));
      }
      domains.add(new DomainSeed(domainId, subnets, users, d));
    }
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("the seed " + file + " names no domain");
    }
    if (domains.stream().allMatch(d -> d.users().isEmpty())) {
      throw new IllegalArgumentException("the seed " + file + " names no user: give a domain \"users\"");
    }
    JsonNode p = root.path("police");
    List<String> adminEmails = new ArrayList<>();
    p.path("adminEmails").forEach(a -> adminEmails.add(a.asText()));
    if (adminEmails.isEmpty()) {
      admins.stream().map(Admin::email).filter(e -> e != null && !e.isBlank()).forEach(adminEmails::add);
    }
    Police police = new Police(p.path("fromAddress").asText("studio-police@example.com"), adminEmails,
        p.path("emailPattern").asText(""), p.has("policy") ? p.get("policy").toString() : "");
    return new SandboxSeed(root.path("region").asText("us-east-1"), root.path("accountId").asText("123456789012"),
        admins, laptops, domains, police, root);
  }

  List<User> users() {
    return domains.stream().flatMap(d -> d.users().stream()).toList();
  }

  Optional<User> user(String name) {
    return users().stream().filter(u -> u.name().equals(name)).findFirst();
  }

  Map<String, Credential> credentials() {
    Map<String, Credential> byKey = new LinkedHashMap<>();
    users().forEach(u -> byKey.put(u.accessKeyId(), new Credential(u.accessKeyId(), u.secretAccessKey(), u.principal())));
    admins.forEach(a -> byKey.put(a.accessKeyId(), new Credential(a.accessKeyId(), a.secretAccessKey(), a.principal())));
    laptops.forEach(l -> byKey.put(l.accessKeyId(), new Credential(l.accessKeyId(), l.secretAccessKey(), l.principal())));
    return byKey;
  }

  /** The admins as AdminPrincipals takes them: the role of each admin session. */
  String adminPrincipals() {
    return String.join(",", admins.stream().map(a -> a.principal()
        .replaceFirst(":sts::", ":iam::").replaceFirst(":assumed-role/([^/]+)/.*$", ":role/$1")).toList());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.asText().isBlank()) {
      throw new IllegalArgumentException("seed entry " + node + " lacks '" + field + "'");
    }
    return value.asText();
  }
}
