// The artefacts under test are for Linux hosts (bash, systemd, Unix file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
