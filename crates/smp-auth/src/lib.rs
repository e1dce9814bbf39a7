//! SMP Studio credentials, apart from the web server so that the command line can
//! create users without linking it: password hashing (argon2id) and policy, the TOTP
//! second factor, and random tokens with the hashes they are stored as.

pub mod password;
pub mod token;
pub mod totp;
