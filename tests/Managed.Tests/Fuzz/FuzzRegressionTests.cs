using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Fuzz;

/// <summary>
/// Inputs the fuzzers of `make fuzz` (tests/fuzz/) found crashing a parser, each reduced to the
/// part that mattered. The files themselves are also replayed from tests/fuzz/regressions/.
/// </summary>
public sealed class FuzzRegressionTests
{
    // storage-json: a batch result whose "code" is an object threw InvalidOperationException.
    [Test]
    public void Batch_reply_with_a_non_numeric_code_is_unusable_not_an_exception()
    {
        Assert.That(StorageResponseParser.ParseBatch("""{"results":[{"code":{"mess":[]}},{"code":421,"body":""}]}"""), Is.Null);
        Assert.That(StorageResponseParser.ParseBatch("""{"results":[{"code":"200"}]}"""), Is.Null);
    }

    // storage-json: "hf":[19E3] (a number that is not an Int32) threw FormatException.
    [Test]
    public void Store_reply_ignores_hard_fork_entries_that_are_not_int32()
    {
        StoreResult? r = StorageResponseParser.ParseStore("""{"hash":"abc","hf":[19E3,1.5,99999999999,19,3],"t":1}""");
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.HardFork, Is.EqualTo(new[] { 19, 3 }));
    }

    // Found while fixing the two above: records that are not objects (retrieve, get_swarm, seed lists).
    [Test]
    public void Records_that_are_not_objects_are_skipped_or_make_the_reply_unusable()
    {
        Assert.That(StorageResponseParser.ParseRetrieve("""{"messages":[1,"x",null]}"""), Is.Null);
        Assert.That(StorageResponseParser.ParseSwarm("""{"snodes":[1,[],"x"],"swarm":"ff"}""")!.Nodes, Is.Empty);
        Assert.That(StorageResponseParser.ParseServiceNodeStates("""{"result":{"service_node_states":[1,[2],"x"]}}"""), Is.Null);
    }
}
