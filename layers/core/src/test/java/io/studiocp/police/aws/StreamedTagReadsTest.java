package io.studiocp.police.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.studiocp.police.PolicedResource;
import io.studiocp.police.ResourceKind;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamedTagReadsTest {

  private static PolicedResource app(int i) {
    String arn = "arn:aws:sagemaker:us-east-1:123456789012:app/d-abc/User" + i + "/kernelgateway/kg";
    return new PolicedResource(ResourceKind.APP, arn, "kg", "d-abc", Optional.of(new StudioUser("d-abc", "User" + i)),
        "ml.m5.large", Instant.parse("2026-03-01T10:00:00Z"), Map.of(),
        PolicedResource.Location.app("User" + i, null, "KernelGateway", "kg"));
  }

  @Test
  void readsAFullBatchAsSoonAsItIsKnownAndTheRestAtTheEnd() {
    List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
    List<PolicedResource> told = Collections.synchronizedList(new ArrayList<>());
    StreamedTagReads reads = new StreamedTagReads(arns -> {
      calls.add(arns.size());
      Map<String, Map<String, String>> tags = new HashMap<>();
      arns.forEach(a -> tags.put(SageMakerStudioInventory.key(a), Map.of("seen", a)));
      return tags;
    }, 100, 8, batch -> told.addAll(batch.tagged()));

    for (int i = 0; i < 200; i++) {
      reads.add(app(i));
    }
    // Two full batches are read (or being read) before the sweep ends; nothing of the rest yet.
    for (int i = 200; i < 250; i++) {
      reads.add(app(i));
    }
    Map<String, Map<String, String>> tags = reads.finish();

    assertEquals(List.of(100, 100, 50), calls.stream().sorted(Comparator.reverseOrder()).toList());
    assertEquals(250, tags.size());
    assertEquals(250, told.size(), "every app told once, with its tags");
    PolicedResource first = told.stream().filter(r -> r.id().equals(app(0).id())).findFirst().orElseThrow();
    assertEquals(app(0).id(), first.tags().get("seen"), "tags found by ARN whatever its case");
  }

  @Test
  void aFailedReadFailsTheSweepWithItsOwnError() {
    StreamedTagReads reads = new StreamedTagReads(arns -> {
      throw new IllegalStateException("GetResources refused");
    }, 2, 2, batch -> { });
    for (int i = 0; i < 5; i++) {
      reads.add(app(i));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, reads::finish);
    assertEquals("GetResources refused", e.getMessage());
  }
}
