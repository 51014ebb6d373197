import Testing

/// Every test that runs real nodes, one at a time: several clusters at once on a loaded
/// 2-core machine would test the scheduler, not the nodes.
@Suite("Nodes on 127.0.0.1", .serialized)
enum LiveNodes {}
