namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>One page of a <see cref="DeadLetterStore.List"/> result, oldest first.</summary>
/// <param name="Items">The letters of this page, ascending by id.</param>
/// <param name="NextCursor">Pass as <see cref="DeadLetterQuery.Cursor"/> to get the next page;
/// null when this page is the last.</param>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterView> Items, string? NextCursor);
