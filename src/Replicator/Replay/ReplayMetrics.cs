using System.Net;
using Prometheus;
using Repl.Engine;
using Repl.Status;

namespace Repl.Replay;

/// <summary>
/// The replay service's Prometheus metrics, served by prometheus-net's HttpListener <see cref="MetricServer"/> (no ASP.NET)
/// on <c>replay.metricsPort</c> at <c>/metrics</c>. Lag and pending work come from the same master queries as
/// <c>repl status</c>, read after every cycle; the rest from the cycles themselves. Names are part of the contract.
/// </summary>
internal sealed class ReplayMetrics : IDisposable
{
    private readonly string _node;
    private readonly MetricServer _server;
    private readonly Gauge _lag;
    private readonly Gauge _pendingTransactions;
    private readonly Gauge _pendingRows;
    private readonly Gauge _tableLag;
    private readonly Gauge _tablePendingRows;
    private readonly Gauge _lastCycle;
    private readonly Counter _transactions;
    private readonly Counter _rows;
    private readonly Counter _errors;
    private readonly Histogram _duration;

    /// <summary>Creates the metrics of <paramref name="node"/>, to be served on <paramref name="port"/> once started.</summary>
    public ReplayMetrics(string node, int port)
    {
        _node = node;
        // A registry of its own: only repl's metrics, and two services in one process (tests) do not share values.
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        _lag = factory.CreateGauge("repl_lag_seconds", "Age of the node's oldest unprocessed change on the master, in seconds (0 when nothing is pending).", "node");
        _pendingTransactions = factory.CreateGauge("repl_pending_transactions", "Transactions on the master the node has not processed yet.", "node");
        _pendingRows = factory.CreateGauge("repl_pending_rows", "Change log rows of the transactions the node has not processed yet.", "node");
        _tableLag = factory.CreateGauge("repl_table_lag_seconds", "Age of the oldest change of the table the node has not processed, in seconds.", "node", "table");
        _tablePendingRows = factory.CreateGauge("repl_table_pending_rows", "Change log rows of the table the node has not processed yet.", "node", "table");
        _lastCycle = factory.CreateGauge("repl_last_cycle_timestamp_seconds", "Unix time at which the node's last successful cycle ended.", "node");
        _transactions = factory.CreateCounter("repl_transactions_applied_total", "Transactions applied to the node.", "node");
        _rows = factory.CreateCounter("repl_rows_applied_total", "Rows upserted or deleted on the node.", "node", "table");
        _errors = factory.CreateCounter("repl_cycle_errors_total", "Cycles that failed (connection lost, database error); each is retried.", "node");
        _duration = factory.CreateHistogram("repl_cycle_duration_seconds", "Duration of successful replay cycles, in seconds.",
            new HistogramConfiguration { LabelNames = ["node"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 16) });
        // "+": every interface, so a Prometheus server elsewhere can scrape it; a firewall decides who may.
        _server = new MetricServer("+", port, "metrics/", registry);
        _errors.WithLabels(node).IncTo(0);
        _transactions.WithLabels(node).IncTo(0);
    }

    /// <summary>Starts serving; a port that cannot be served becomes an error naming the config key.</summary>
    public void Start()
    {
        try
        {
            _server.Start();
        }
        catch (HttpListenerException e)
        {
            throw new ReplException($"replay.metricsPort: cannot serve metrics: {e.Message}. Choose a free port, or leave metricsPort out.", e);
        }
    }

    /// <summary>Records a successful cycle.</summary>
    public void Cycle(CycleResult result)
    {
        _duration.WithLabels(_node).Observe(result.Duration.TotalSeconds);
        _transactions.WithLabels(_node).Inc(result.Transactions);
        foreach (var (table, rows) in result.RowsByTable)
            _rows.WithLabels(_node, table).Inc(rows);
        _lastCycle.WithLabels(_node).SetToCurrentTimeUtc();
    }

    /// <summary>Records the node's pending work and lag, as <c>repl status</c> reads them.</summary>
    public void Pending(NodeStatus status)
    {
        _lag.WithLabels(_node).Set(status.LagSeconds);
        _pendingTransactions.WithLabels(_node).Set(status.PendingTransactions);
        _pendingRows.WithLabels(_node).Set(status.PendingRows);
        foreach (var table in status.Tables)
        {
            _tableLag.WithLabels(_node, table.Table).Set(table.LagSeconds);
            _tablePendingRows.WithLabels(_node, table.Table).Set(table.PendingRows);
        }
    }

    /// <summary>Records a failed cycle.</summary>
    public void Failure() => _errors.WithLabels(_node).Inc();

    /// <inheritdoc/>
    public void Dispose() => _server.Dispose();
}
