; Inno Setup 6 script: installs the PyInstaller folder dist\moot with a Start-menu entry
; and an uninstaller, for the person installing (no administrator needed) or for everyone.
;
;   .venv\Scripts\pyinstaller --noconfirm --clean packaging\moot.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\moot.iss
;
; The installer is written to dist\Moot-<version>-setup.exe. Uninstalling leaves each
; person's profile (their groups, in their AppData folder) where it is.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{AD9D69B1-ED51-43CE-9D96-1B780EF39624}
AppName=Moot
AppVersion={#AppVersion}
AppPublisher=Moot
DefaultDirName={autopf}\Moot
DefaultGroupName=Moot
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Moot-{#AppVersion}-setup
UninstallDisplayIcon={app}\moot.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "syncschedule"; Description: "Sync with the council hub every 15 minutes, without opening Moot"; Flags: unchecked

[Files]
Source: "..\..\dist\moot\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Moot"; Filename: "{app}\moot.exe"; AppUserModelID: "org.moot.Moot"
Name: "{autodesktop}\Moot"; Filename: "{app}\moot.exe"; Tasks: desktopicon

[Run]
; Wherever it was installed, with the settings of packaging\windows\moot-sync.xml: on
; battery too, a missed run made up when the laptop wakes, never two at once.
Filename: "powershell.exe"; Parameters: "-NoProfile -NonInteractive -Command ""Register-ScheduledTask -Force -TaskName 'Moot sync' -Action (New-ScheduledTaskAction -Execute '{app}\moot.exe' -Argument 'sync') -Trigger (New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 15)) -Settings (New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Minutes 10))"""; Tasks: syncschedule; Flags: runhidden
Filename: "{app}\moot.exe"; Description: "{cm:LaunchProgram,Moot}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "schtasks.exe"; Parameters: "/Delete /F /TN ""Moot sync"""; Flags: runhidden; RunOnceId: "DeleteSyncTask"
