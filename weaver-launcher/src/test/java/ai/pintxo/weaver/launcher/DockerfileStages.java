package ai.pintxo.weaver.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile's build stages, each with its base image and instructions (continuation lines joined,
 * comments dropped): enough to check what the image runs as and how it is probed.
 */
record DockerfileStages(List<Stage> stages) {

  record Instruction(String keyword, String arguments) {
  }

  record Stage(String image, String alias, List<Instruction> instructions) {

    /** @return the last instruction with this keyword (the one Docker applies), if any */
    Optional<Instruction> last(String keyword) {
      Optional<Instruction> found = Optional.empty();
      for (Instruction i : instructions) {
        if (i.keyword().equals(keyword)) {
          found = Optional.of(i);
        }
      }
      return found;
    }
  }

  static DockerfileStages read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        logical.add(current.append(trimmed).toString().strip());
        current.setLength(0);
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (String line : logical) {
      String[] parts = line.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        String[] from = args.split("\\s+");
        String alias = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        stages.add(new Stage(from[0], alias, new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
      }
    }
    return new DockerfileStages(stages);
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }
}
