namespace AnalyticsHub.Core.Query;

/// <summary>
/// One page of an event search: <see cref="Events"/> newest first, and <see cref="Next"/>, the
/// cursor to pass as <see cref="EventSearchQuery.After"/> for the following page — set when more
/// events may follow (the page is full, or the store stopped at its scan bound first), null when
/// the search is exhausted.
/// </summary>
public sealed record EventSearchPage(IReadOnlyList<SearchedEvent> Events, SearchCursor? Next);
