package ai.pintxo.weaver.substreams;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a strategy may use to prepare itself.
 *
 * @param substream    the configured name
 * @param outputModule the output module
 * @param descriptors  the package's message types
 * @param coinList     a CoinGecko coin list with platforms ({@code /coins/list?include_platform=true}), if configured
 */
public record StrategyContext(String substream, String outputModule, ProtoDescriptors descriptors, Optional<Path> coinList) {
}
