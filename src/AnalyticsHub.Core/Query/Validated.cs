using System.Diagnostics.CodeAnalysis;

namespace AnalyticsHub.Core.Query;

/// <summary>The outcome of parsing or validating a query: a value, or every error found (never both).</summary>
public sealed class Validated<T>
    where T : class
{
    private Validated(T? value, IReadOnlyList<QueryError> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>Set exactly when <see cref="IsValid"/>.</summary>
    public T? Value { get; }

    /// <summary>Empty exactly when <see cref="IsValid"/>.</summary>
    public IReadOnlyList<QueryError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Value is not null;

    public static Validated<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), []);

    public static Validated<T> Fail(IReadOnlyList<QueryError> errors) =>
        errors.Count > 0 ? new(null, errors) : throw new ArgumentException("A failure needs at least one error.", nameof(errors));
}
