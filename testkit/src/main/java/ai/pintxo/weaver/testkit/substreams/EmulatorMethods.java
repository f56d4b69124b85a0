package ai.pintxo.weaver.testkit.substreams;

import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import ai.pintxo.weaver.substreams.pb.rpc.v2.StreamGrpcService;
import io.vertx.grpc.common.ServiceMethod;

/** The server side of the generated {@code Stream/Blocks} method. */
final class EmulatorMethods {

  static final ServiceMethod<Request, Response> BLOCKS = StreamGrpcService.Blocks;

  private EmulatorMethods() {
  }
}
