package io.studiocp.deployment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.constant.DirectMethodHandleDesc;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The AWS operations a function can call, read from the bytecode that ships (the function's zip
 * and the core jar in the layer's zip), not from a list someone keeps.
 *
 * <p>It walks the call graph from what Lambda calls (the handler's no-argument constructor and its
 * {@code handleRequest}) through the product's own classes, method by method: a static or special
 * call goes to that method; a virtual or interface call to every shipped class that declares the
 * method and is a subtype of the receiver's type (class hierarchy analysis); a lambda or method
 * reference counts as a call of the method it names; a class's static initialiser runs when the
 * class is first touched; an object of a product class that also implements a library type (a
 * {@code Supplier}, an exception) may be called back by that library, so all its methods count once
 * it is created. Every call on an SDK client interface ({@code software.amazon.awssdk.services.*Client})
 * is an operation; a paginator is the operation it pages; so is a constant of an enum of
 * {@code AwsJsonClient.Operation}s or {@code RestOperation}s read outside its enum (the lean JSON
 * client's calls). The walk over-approximates (it may see a
 * call that no input takes), never under-approximates for code the walk can see.
 */
final class SdkCalls {

  private static final String PRODUCT = "io/studiocp/";
  /** The operations the lean JSON client calls are constants of enums implementing one of these. */
  private static final Set<String> JSON_OPERATIONS = Set.of("io/studiocp/platform/AwsJsonClient$Operation",
      "io/studiocp/platform/AwsJsonClient$RestOperation");
  private static final Pattern CLIENT = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/[A-Za-z0-9]+Client");
  /** Client methods that are not AWS operations. */
  private static final Set<String> NOT_OPERATIONS = Set.of("close", "serviceName", "serviceClientConfiguration",
      "builder", "create");
  /** IAM's prefix for each SDK service module. */
  private static final Map<String, String> IAM_PREFIX = Map.ofEntries(
      Map.entry("ec2", "ec2"), Map.entry("efs", "elasticfilesystem"), Map.entry("sagemaker", "sagemaker"),
      Map.entry("sfn", "states"), Map.entry("ssm", "ssm"), Map.entry("sqs", "sqs"), Map.entry("sesv2", "ses"),
      Map.entry("resourcegroupstaggingapi", "tag"), Map.entry("iam", "iam"), Map.entry("sts", "sts"),
      Map.entry("lambda", "lambda"));

  private final Map<String, ClassModel> classes;
  private final Map<String, Set<String>> subtypes = new HashMap<>();

  private SdkCalls(Map<String, ClassModel> classes) {
    this.classes = classes;
    for (ClassModel model : classes.values()) {
      for (String supertype : directSupertypes(model)) {
        subtypes.computeIfAbsent(supertype, k -> new HashSet<>()).add(name(model));
      }
    }
  }

  /** The product's classes that ship with a function: its zip, and the core jar in the layer. */
  static SdkCalls shipped(Path functionZip, Path layerZip) throws IOException {
    Map<String, ClassModel> classes = new HashMap<>();
    try (ZipFile zip = new ZipFile(functionZip.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (entry.getName().endsWith(".class")) {
          add(classes, zip.getInputStream(entry).readAllBytes());
        }
      }
    }
    try (ZipFile layer = new ZipFile(layerZip.toFile())) {
      ZipEntry core = java.util.Collections.list(layer.entries()).stream()
          .filter(e -> e.getName().matches("java/lib/studiocp-core-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("the layer has no studiocp-core jar"));
      try (ZipInputStream jar = new ZipInputStream(new ByteArrayInputStream(layer.getInputStream(core).readAllBytes()))) {
        for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
          if (entry.getName().endsWith(".class")) {
            add(classes, jar.readAllBytes());
          }
        }
      }
    }
    return new SdkCalls(classes);
  }

  private static void add(Map<String, ClassModel> classes, byte[] bytes) {
    ClassModel model = ClassFile.of().parse(bytes);
    classes.put(name(model), model);
  }

  /** The IAM action of every AWS operation reachable from the handler class, with one method that calls it. */
  Map<String, String> operationsOf(String handlerClass) {
    String handler = handlerClass.replace('.', '/');
    if (!classes.containsKey(handler)) {
      throw new AssertionError(handlerClass + " is not in the function's zip");
    }
    Walk walk = new Walk();
    walk.instantiated(handler);
    walk.call(handler, "<init>", "()V", false);
    for (MethodModel method : classes.get(handler).methods()) {
      if (method.methodName().stringValue().equals("handleRequest")) {
        walk.call(handler, "handleRequest", method.methodType().stringValue(), false);
      }
    }
    for (String superclass = superclass(handler); superclass != null; superclass = superclass(superclass)) {
      for (MethodModel method : classes.get(superclass).methods()) {
        if (method.methodName().stringValue().equals("handleRequest")) {
          walk.call(handler, "handleRequest", method.methodType().stringValue(), false);
        }
      }
    }
    walk.run();
    return walk.operations;
  }

  private final class Walk {
    private final Deque<String[]> work = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();
    private final Set<String> initialised = new HashSet<>();
    private final Set<String> created = new HashSet<>();
    private final Map<String, String> operations = new TreeMap<>();

    /** A call of {@code owner.name desc}; virtual ones reach every shipped override too. */
    void call(String owner, String name, String desc, boolean virtual) {
      Optional<String> clientService = clientService(owner);
      if (clientService.isPresent()) {
        return; // recorded by the caller, which knows where it is
      }
      if (!owner.startsWith(PRODUCT) || !classes.containsKey(owner)) {
        return;
      }
      touch(owner);
      resolve(owner, name, desc).ifPresent(declaring -> enqueue(declaring, name, desc));
      if (virtual) {
        for (String subtype : allSubtypes(owner)) {
          if (declares(subtype, name, desc)) {
            enqueue(subtype, name, desc);
          }
        }
      }
    }

    void touch(String owner) {
      if (owner.startsWith(PRODUCT) && classes.containsKey(owner) && initialised.add(owner)) {
        if (declares(owner, "<clinit>", "()V")) {
          enqueue(owner, "<clinit>", "()V");
        }
        String superclass = superclass(owner);
        if (superclass != null) {
          touch(superclass);
        }
      }
    }

    /** An object of this class exists: a library it was handed may call any of its methods. */
    void instantiated(String owner) {
      if (!classes.containsKey(owner) || !created.add(owner)) {
        return;
      }
      touch(owner);
      if (hasLibrarySupertype(owner)) {
        for (String type = owner; type != null; type = superclass(type)) {
          for (MethodModel method : classes.get(type).methods()) {
            String name = method.methodName().stringValue();
            if (!name.startsWith("<") && (method.flags().flagsMask() & ClassFile.ACC_STATIC) == 0) {
              enqueue(type, name, method.methodType().stringValue());
            }
          }
        }
      }
    }

    private void enqueue(String owner, String name, String desc) {
      if (seen.add(owner + "." + name + desc)) {
        work.add(new String[] {owner, name, desc});
      }
    }

    void run() {
      while (!work.isEmpty()) {
        String[] next = work.poll();
        method(next[0], next[1], next[2]).flatMap(MethodModel::code).ifPresent(code -> scan(next[0], next[1], code));
      }
    }

    private void scan(String owner, String method, CodeModel code) {
      String where = owner.replace('/', '.') + "." + method;
      code.forEach(element -> {
        switch (element) {
          case InvokeInstruction invoke -> {
            String target = invoke.owner().asInternalName();
            String name = invoke.name().stringValue();
            record(target, name, where);
            boolean virtual = invoke.opcode() == Opcode.INVOKEVIRTUAL || invoke.opcode() == Opcode.INVOKEINTERFACE;
            call(target, name, invoke.type().stringValue(), virtual);
          }
          case InvokeDynamicInstruction indy -> indy.bootstrapArgs().forEach(argument -> {
            if (argument instanceof DirectMethodHandleDesc handle) {
              String target = handle.owner().descriptorString();
              target = target.substring(1, target.length() - 1);
              record(target, handle.methodName(), where);
              boolean virtual = handle.kind() == DirectMethodHandleDesc.Kind.VIRTUAL
                  || handle.kind() == DirectMethodHandleDesc.Kind.INTERFACE_VIRTUAL;
              if (handle.kind() == DirectMethodHandleDesc.Kind.CONSTRUCTOR) {
                instantiated(target);
              }
              call(target, handle.methodName(), handle.lookupDescriptor(), virtual);
            }
          });
          case NewObjectInstruction created -> instantiated(created.className().asInternalName());
          case FieldInstruction field when field.opcode() == Opcode.GETSTATIC || field.opcode() == Opcode.PUTSTATIC -> {
            touch(field.owner().asInternalName());
            if (field.opcode() == Opcode.GETSTATIC && !field.owner().asInternalName().equals(owner)) {
              recordJsonOperation(field.owner().asInternalName(), field.name().stringValue(), where);
            }
          }
          default -> { }
        }
      });
    }

    private void record(String owner, String name, String where) {
      clientService(owner).ifPresent(service -> {
        if (NOT_OPERATIONS.contains(name)) {
          return;
        }
        String prefix = IAM_PREFIX.get(service);
        if (prefix == null) {
          throw new AssertionError(where + " calls the SDK's " + service + " client: add its IAM prefix to SdkCalls");
        }
        if (name.equals("waiter") || name.equals("utilities")) {
          throw new AssertionError(where + " uses the " + service + " client's " + name
              + "(): SdkCalls cannot tell its operations, teach it");
        }
        String operation = name.endsWith("Paginator") ? name.substring(0, name.length() - "Paginator".length()) : name;
        operations.putIfAbsent(prefix + ":" + operation.substring(0, 1).toUpperCase(Locale.ROOT) + operation.substring(1),
            where);
      });
    }

    /**
     * A constant of an enum of {@code AwsJsonClient.Operation}s, read outside the enum: a call of that
     * operation by the lean JSON client, on the service its {@code IAM_PREFIX} constant names.
     */
    private void recordJsonOperation(String owner, String constant, String where) {
      ClassModel model = classes.get(owner);
      if (model == null || interfaces(owner).stream().noneMatch(JSON_OPERATIONS::contains)) {
        return;
      }
      boolean enumConstant = model.fields().stream().anyMatch(f -> f.fieldName().stringValue().equals(constant)
          && (f.flags().flagsMask() & ClassFile.ACC_ENUM) != 0);
      if (!enumConstant) {
        return;
      }
      String prefix = model.fields().stream()
          .filter(f -> f.fieldName().stringValue().equals("IAM_PREFIX"))
          .flatMap(f -> f.findAttribute(Attributes.constantValue()).stream())
          .map(v -> v.constant().constantValue().toString())
          .findFirst()
          .orElseThrow(() -> new AssertionError(owner + " lists AWS operations but has no IAM_PREFIX constant"));
      operations.putIfAbsent(prefix + ":" + constant, where);
    }

    private Set<String> allSubtypes(String type) {
      Set<String> all = new TreeSet<>();
      Deque<String> todo = new ArrayDeque<>(List.of(type));
      while (!todo.isEmpty()) {
        for (String subtype : subtypes.getOrDefault(todo.poll(), Set.of())) {
          if (all.add(subtype)) {
            todo.add(subtype);
          }
        }
      }
      return all;
    }
  }

  private static Optional<String> clientService(String owner) {
    Matcher m = CLIENT.matcher(owner);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The class that declares what a call on {@code owner} runs: owner or its nearest shipped superclass. */
  private Optional<String> resolve(String owner, String name, String desc) {
    for (String type = owner; type != null; type = superclass(type)) {
      if (declares(type, name, desc)) {
        return Optional.of(type);
      }
    }
    // An interface's default method, or an abstract method only subtypes implement.
    for (String type = owner; type != null; type = superclass(type)) {
      for (String itf : interfaces(type)) {
        if (declares(itf, name, desc)) {
          return Optional.of(itf);
        }
      }
    }
    return Optional.empty();
  }

  private boolean declares(String owner, String name, String desc) {
    return method(owner, name, desc).isPresent();
  }

  private Optional<MethodModel> method(String owner, String name, String desc) {
    ClassModel model = classes.get(owner);
    if (model == null) {
      return Optional.empty();
    }
    return model.methods().stream()
        .filter(m -> m.methodName().stringValue().equals(name) && m.methodType().stringValue().equals(desc))
        .findFirst();
  }

  private String superclass(String owner) {
    ClassModel model = classes.get(owner);
    if (model == null) {
      return null;
    }
    return model.superclass().map(c -> c.asInternalName()).filter(classes::containsKey).orElse(null);
  }

  private List<String> interfaces(String owner) {
    ClassModel model = classes.get(owner);
    return model == null ? List.of() : model.interfaces().stream().map(c -> c.asInternalName()).toList();
  }

  /** Whether a library type (not Object, Record or Enum) is among the class's supertypes. */
  private boolean hasLibrarySupertype(String owner) {
    ClassModel model = classes.get(owner);
    if (model == null) {
      return false;
    }
    for (String supertype : directSupertypes(model)) {
      boolean library = !classes.containsKey(supertype)
          && !Set.of("java/lang/Object", "java/lang/Record", "java/lang/Enum").contains(supertype);
      if (library || hasLibrarySupertype(supertype)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> directSupertypes(ClassModel model) {
    List<String> all = new java.util.ArrayList<>();
    model.superclass().ifPresent(c -> all.add(c.asInternalName()));
    model.interfaces().forEach(c -> all.add(c.asInternalName()));
    return all;
  }

  private static String name(ClassModel model) {
    return model.thisClass().asInternalName();
  }
}
