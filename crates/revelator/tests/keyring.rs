//! The OS keyring for real: store, read, replace and delete under a unique service name.
//! Needs a Secret Service (gnome-keyring in CI, under `dbus-run-session`); without one it says
//! SKIPPED loudly instead of passing silently.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use catno_revelator::{CredentialStore, Credentials, KeyringStore, RevelatorError, Secret};

fn secret_service_available(store: &KeyringStore) -> Result<(), String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return Err("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)".into());
    }
    match store.load("catno-probe") {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn credentials_round_trip_through_the_os_keyring() {
    let service = format!(
        "org.catno.revelator.test.{}.{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    );
    let store = KeyringStore::with_service(&service);
    if let Err(why) = secret_service_available(&store) {
        if std::env::var_os("CATNO_REQUIRE_KEYRING").is_some() {
            panic!("CATNO_REQUIRE_KEYRING is set but no Secret Service is usable: {why}");
        }
        eprintln!(
            "\n*** SKIPPED credentials_round_trip_through_the_os_keyring: no usable Secret Service ({why})."
        );
        eprintln!(
            "*** Run under: dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets; cargo test -p catno-revelator --test keyring'\n"
        );
        return;
    }

    let account = "label-main";
    assert_eq!(store.load(account).unwrap(), None);
    let first = Credentials {
        partner_api_key: Secret::new("key-one-ÄÖ-🔑"),
        partner_user_id: "partner-user-1".into(),
    };
    store.store(account, &first).unwrap();
    assert_eq!(store.load(account).unwrap(), Some(first.clone()));

    // Another Catno connection stays separate; replacing one leaves the other alone.
    let other =
        Credentials { partner_api_key: Secret::new("key-two"), partner_user_id: "partner-user-2".into() };
    store.store("label-side", &other).unwrap();
    let replaced =
        Credentials { partner_api_key: Secret::new("key-rotated"), partner_user_id: "partner-user-1".into() };
    store.store(account, &replaced).unwrap();
    assert_eq!(store.load(account).unwrap(), Some(replaced));
    assert_eq!(store.load("label-side").unwrap(), Some(other));

    store.delete(account).unwrap();
    store.delete("label-side").unwrap();
    assert_eq!(store.load(account).unwrap(), None);
    store.delete(account).unwrap();

    // Empty credentials are refused before reaching the keyring.
    let empty = Credentials { partner_api_key: Secret::new(""), partner_user_id: "x".into() };
    assert!(matches!(store.store(account, &empty), Err(RevelatorError::Invalid(_))));
}
