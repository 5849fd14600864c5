// VS Code entry point (placeholder until the client is written in its own change).
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
