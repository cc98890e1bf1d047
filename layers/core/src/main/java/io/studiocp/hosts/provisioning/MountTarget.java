package io.studiocp.hosts.provisioning;

/** An EFS mount target: where hosts in its availability zone reach the file system. */
public record MountTarget(String mountTargetId, String fileSystemId, String availabilityZone,
    String subnetId, String ipAddress) {}
