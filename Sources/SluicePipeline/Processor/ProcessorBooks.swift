/// What the processor loop's parts share: the offset ledger and the running totals.
///
/// Created, used and read only on the loop's thread (the statistics leave it as published
/// copies), so none of it needs a lock.
final class ProcessorBooks {
    var ledger = OffsetLedger<InputPartition>()
    var statistics = ProcessorStatistics()
}
