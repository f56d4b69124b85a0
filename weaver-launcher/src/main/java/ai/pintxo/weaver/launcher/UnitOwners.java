package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.kafka.KafkaOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Who holds a pipeline's units: the members of its consumer group {@code <group>.<pipeline>}
 * (see {@code Units}). A member owns its units while it lives, paused or not, so an empty group
 * means no process runs them. Blocking, for the command line.
 */
final class UnitOwners {

  private UnitOwners() {
  }

  /**
   * @return the members holding a unit (every member while the group rebalances), as {@code client-id (host)}; empty when none
   */
  static List<String> of(KafkaOptions kafka, String groupId, Duration timeout) {
    try (Admin admin = Admin.create(new HashMap<>(kafka.clientConfig()))) {
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<MemberDescription> members = List.copyOf(group.members());
      List<MemberDescription> owners = members.stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).toList();
      return (owners.isEmpty() ? members : owners).stream().map(m -> m.clientId() + " (" + m.host() + ")").sorted().toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw new IllegalStateException("cannot describe consumer group " + groupId + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot describe consumer group " + groupId + ": Kafka did not answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
