# Build the Windows one-folder bundle dist\kamdesk\ (KAMDesk.exe is windowed, no console).
# UNTESTED: written for Windows 10/11 with Python 3.11+ from python.org; it has never been
# run (the project's CI is Linux only). See packaging/README.md.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

if (-not $env:VIRTUAL_ENV) {
    if (-not (Test-Path "build\venv\Scripts\python.exe")) { py -3.11 -m venv build\venv }
    . build\venv\Scripts\Activate.ps1
}
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[package]"
if (Test-Path "dist\kamdesk") { Remove-Item -Recurse -Force "dist\kamdesk" }
python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\kamdesk.spec
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "built dist\kamdesk\ (start dist\kamdesk\kamdesk.exe --demo)"
