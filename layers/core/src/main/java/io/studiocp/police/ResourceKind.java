package io.studiocp.police;

/** What the police watch. */
public enum ResourceKind {
  /** A Studio app of a user profile (KernelGateway, JupyterLab, CodeEditor, ...). */
  APP("Studio app"),
  /** An app running in a space; shared spaces belong to the admins. */
  SPACE_APP("space app"),
  /** A Docker host of this control plane. */
  HOST("Docker host");

  private final String label;

  ResourceKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
