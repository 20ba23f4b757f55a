/// What the processor loop's parts share: the offset ledger, the running totals and, in
/// exactly-once delivery, the outputs refused inside a transaction.
///
/// Created, used and read only on the loop's thread (the statistics leave it as published
/// copies), so none of it needs a lock.
final class ProcessorBooks {
    var ledger = OffsetLedger<InputPartition>()
    var statistics = ProcessorStatistics()
    var refusals = TransactionRefusals()
}
