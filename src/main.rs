//! The `motcua` command-line tool: scripting, administration and tests over the same core the desktop app uses.
//!
//! Exit codes are decided here and only here: 0 success, 1 a check found problems (audit, store), 2 an error
//! (bad input, unreadable file, database problem). Errors go to stderr with their stable code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
