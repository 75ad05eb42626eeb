using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Repl.Examples.NewsSite;

/// <summary>What a run of the workload did, counted per kind of change.</summary>
internal sealed record WorkloadSummary(
    int Transactions, TimeSpan Elapsed, int UsersCreated, int UsersUpdated, int UsersDeleted, int ArticlesPublished,
    int ArticlesEdited, int ArticlesApproved, int ArticlesDeleted, int AdminsUpdated, int RolledBack)
{
    /// <summary>One readable line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Transactions:N0} transactions in {Elapsed.TotalSeconds:0.0} s ({Transactions / Math.Max(Elapsed.TotalSeconds, 0.001):N0}/s): " +
        $"users {UsersCreated:N0} created, {UsersUpdated:N0} updated, {UsersDeleted:N0} deleted; " +
        $"articles {ArticlesPublished:N0} published, {ArticlesEdited:N0} edited ({ArticlesApproved:N0} approved), {ArticlesDeleted:N0} deleted; " +
        $"admins {AdminsUpdated:N0} updated; {RolledBack:N0} rolled back");
}

/// <summary>
/// The news site's writes on the master: site users sign up, change their e-mail and leave; editors publish, edit,
/// approve and withdraw articles; now and then an admin changes address and a transaction rolls back. One connection,
/// one transaction at a time, keys chosen by the generator (the book's tables have no identity columns). The same SQL
/// runs on PostgreSQL and MariaDB: unquoted names, @ parameters.
/// </summary>
internal sealed class NewsWorkload
{
    private readonly DbConnection _connection;
    private readonly Random _random;
    private readonly List<int> _users = [];
    private readonly List<int> _articles = [];
    private readonly List<int> _admins = [];
    private int _nextUser;
    private int _nextArticle;
    private int _usersCreated, _usersUpdated, _usersDeleted, _published, _edited, _approved, _articlesDeleted, _adminsUpdated, _rolledBack;

    /// <summary>A workload on an open master connection; <paramref name="seed"/> makes runs repeatable.</summary>
    public NewsWorkload(DbConnection connection, int seed)
    {
        _connection = connection;
#pragma warning disable CA5394 // Test data, not secrets: a seeded generator makes a run repeatable.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>Fills empty tables with a starting site: admins, site users and articles (some published), in one transaction.</summary>
    public async Task<string> SeedAsync(int admins, int users, int articles, CancellationToken cancellationToken)
    {
        await LoadKeysAsync(cancellationToken);
        if (_admins.Count > 0 || _users.Count > 0 || _articles.Count > 0)
            throw new InvalidOperationException("the master already holds news site rows; --seed fills empty tables only (drop and re-create the database)");
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        for (var id = 1; id <= admins; id++)
        {
            await ExecuteAsync(transaction, "INSERT INTO AdminUsers (UserID, UserName, Password, EmailAddress) VALUES (@id, @name, @password, @email)",
                cancellationToken, ("id", id), ("name", Invariant($"admin{id}")), ("password", PasswordHash(id)), ("email", Invariant($"admin{id}@news.example")));
            _admins.Add(id);
        }
        for (var i = 0; i < users; i++)
            await InsertUserAsync(transaction, cancellationToken);
        for (var i = 0; i < articles; i++)
        {
            var id = await InsertArticleAsync(transaction, cancellationToken);
            if (i % 2 == 0)
                await ApproveAsync(transaction, id, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"seeded {admins:N0} admins, {users:N0} site users, {articles:N0} articles");
    }

    /// <summary>Runs transactions until <paramref name="transactions"/> have run or <paramref name="duration"/> has passed, whichever comes first.</summary>
    public async Task<WorkloadSummary> RunAsync(int transactions, TimeSpan duration, CancellationToken cancellationToken)
    {
        await LoadKeysAsync(cancellationToken);
        if (_admins.Count == 0)
            throw new InvalidOperationException("AdminUsers is empty: articles need authors; run with --seed first");
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < transactions && clock.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await OneTransactionAsync(cancellationToken);
            done++;
        }
        return new WorkloadSummary(done, clock.Elapsed, _usersCreated, _usersUpdated, _usersDeleted, _published, _edited, _approved,
            _articlesDeleted, _adminsUpdated, _rolledBack);
    }

    private async Task OneTransactionAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        var dice = Next(100);
        switch (dice)
        {
            case < 30:
                for (var i = Next(3); i >= 0; i--)
                {
                    await InsertUserAsync(transaction, cancellationToken);
                    _usersCreated++;
                }
                break;
            case < 42 when _users.Count > 0:
                await ExecuteAsync(transaction, "UPDATE SiteUsers SET EmailAddress = @email, PostalCode = @postal WHERE SiteUserID = @id", cancellationToken,
                    ("id", Pick(_users)), ("email", Invariant($"u{Next(1_000_000)}@mail.example")), ("postal", Invariant($"{Next(100_000):00000}")));
                _usersUpdated++;
                break;
            case < 47 when _users.Count > 0:
                var user = Pick(_users);
                await ExecuteAsync(transaction, "DELETE FROM SiteUsers WHERE SiteUserID = @id", cancellationToken, ("id", user));
                _users.Remove(user);
                _usersDeleted++;
                break;
            case < 65:
                await InsertArticleAsync(transaction, cancellationToken);
                _published++;
                break;
            case < 88 when _articles.Count > 0:
                var article = Pick(_articles);
                await ExecuteAsync(transaction,
                    "UPDATE NewsArticles SET Editor = @editor, Title = @title, BodyText = @body, LastModifiedDate = @now WHERE ArticleID = @id",
                    cancellationToken, ("id", article), ("editor", Pick(_admins)), ("title", Invariant($"Article {article}, revision {Next(1000)}")),
                    ("body", Body(article)), ("now", Now()));
                _edited++;
                if (Next(3) == 0)
                {
                    await ApproveAsync(transaction, article, cancellationToken);
                    _approved++;
                }
                break;
            case < 93 when _articles.Count > 0:
                var gone = Pick(_articles);
                await ExecuteAsync(transaction, "DELETE FROM NewsArticles WHERE ArticleID = @id", cancellationToken, ("id", gone));
                _articles.Remove(gone);
                _articlesDeleted++;
                break;
            case < 96:
                await ExecuteAsync(transaction, "UPDATE AdminUsers SET EmailAddress = @email WHERE UserID = @id", cancellationToken,
                    ("id", Pick(_admins)), ("email", Invariant($"editor{Next(1_000_000)}@news.example")));
                _adminsUpdated++;
                break;
            default:
                // A rolled-back signup must never reach a slave; the keys it used are handed out again.
                var before = _nextUser;
                await InsertUserAsync(transaction, cancellationToken);
                await transaction.RollbackAsync(cancellationToken);
                _users.Remove(before + 1);
                _nextUser = before;
                _rolledBack++;
                return;
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task InsertUserAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var id = ++_nextUser;
        await ExecuteAsync(transaction,
            "INSERT INTO SiteUsers (SiteUserID, CreatedDate, UserName, Password, EmailAddress, Country, PostalCode) " +
            "VALUES (@id, @now, @name, @password, @email, @country, @postal)",
            cancellationToken, ("id", id), ("now", Now()), ("name", Invariant($"user{id}")), ("password", PasswordHash(id)),
            ("email", Invariant($"user{id}@mail.example")), ("country", Countries[Next(Countries.Length)]), ("postal", Invariant($"{Next(100_000):00000}")));
        _users.Add(id);
    }

    private async Task<int> InsertArticleAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var id = ++_nextArticle;
        var now = Now();
        await ExecuteAsync(transaction,
            "INSERT INTO NewsArticles (ArticleID, Author, CreatedDate, LastModifiedDate, Title, AbstractText, BodyText, isAvailable) " +
            "VALUES (@id, @author, @now, @now, @title, @abstract, @body, 0)",
            cancellationToken, ("id", id), ("author", Pick(_admins)), ("now", now), ("title", Invariant($"Article {id}")),
            ("abstract", Invariant($"What happened in story {id}, in two lines.")), ("body", Body(id)));
        _articles.Add(id);
        return id;
    }

    private Task ApproveAsync(DbTransaction transaction, int article, CancellationToken cancellationToken) =>
        ExecuteAsync(transaction,
            "UPDATE NewsArticles SET Approver = @approver, PublishedDate = @now, isAvailable = 1 WHERE ArticleID = @id",
            cancellationToken, ("id", article), ("approver", Pick(_admins)), ("now", Now()));

    private async Task LoadKeysAsync(CancellationToken cancellationToken)
    {
        await ReadKeysAsync("SELECT UserID FROM AdminUsers", _admins, cancellationToken);
        await ReadKeysAsync("SELECT SiteUserID FROM SiteUsers", _users, cancellationToken);
        await ReadKeysAsync("SELECT ArticleID FROM NewsArticles", _articles, cancellationToken);
        _nextUser = _users.Count == 0 ? 0 : _users.Max();
        _nextArticle = _articles.Count == 0 ? 0 : _articles.Max();
    }

    private async Task ReadKeysAsync(string sql, List<int> keys, CancellationToken cancellationToken)
    {
        keys.Clear();
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            keys.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
    }

    private async Task ExecuteAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static readonly string[] Countries = ["USA", "GBR", "DEU", "FRA", "JPN", "BRA", "IND", "NLD"];

#pragma warning disable CA5394 // Test data, not secrets.
    private int Next(int bound) => _random.Next(bound);
#pragma warning restore CA5394

    private int Pick(List<int> keys) => keys[Next(keys.Count)];

    // Whole seconds: the columns are TIMESTAMP(0)/DATETIME, and a value the master rounds would differ from the one sent.
    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
    }

    private string Body(int article) =>
        string.Join(' ', Enumerable.Range(0, 20 + Next(60)).Select(i => Invariant($"Paragraph {i} of article {article}: naïve café, 日本語, ünïcödé.")));

    // Stands in for what a site stores: a hash, never a password anyone typed.
    private static string PasswordHash(int id) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Invariant($"news-site-{id}"))));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
