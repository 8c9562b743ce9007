//! Queue, approval gate, per-store status and takedown (NOTES 6.4, 10.2.6, 10.2.8).

use crate::assumptions::{self, STATUS_PENDING_OWNER_INSPECTION, STATUS_TAKEDOWN_REQUESTED};
use crate::config::QueueResponse;
use crate::lookups;
use crate::state::{Release, State, StoreState};
use crate::wire::{ApiError, ApiRequest, Page, Reply};
use serde_json::{Value, json};

impl State {
    /// `POST /distribution/release/addtoqueue?releaseId=` with a bare array of store ids.
    pub(crate) fn add_to_queue(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let release_id = query_release_id(request)?;
        let store_ids = self.store_id_body(request)?;
        let release = self.release(release_id)?;
        let blocking = self.blocking_issues(release);
        if !blocking.is_empty() {
            let mut error = ApiError::bad_request(format!(
                "Release {release_id} has {} blocking validation error(s); fix them before adding it to the queue.",
                blocking.len()
            ));
            error.issues = Some(Value::Array(blocking));
            return Err(error);
        }
        for store_id in &store_ids {
            let current = release.stores.get(store_id).map(|s| s.status);
            if !assumptions::may_requeue(current) {
                return Err(ApiError::bad_request(format!(
                    "Release {release_id} is already in distribution to store {store_id} (status {}).",
                    current.unwrap_or_default()
                )));
            }
        }
        let now = self.clock;
        let release = self.release_mut(release_id)?;
        for store_id in store_ids {
            release.stores.insert(
                store_id,
                StoreState {
                    status: STATUS_PENDING_OWNER_INSPECTION,
                    error_message: None,
                    added: now,
                    since: now,
                    delivery_date: None,
                    first_delivery_date: None,
                    date_live: None,
                },
            );
        }
        Ok(self.queue_reply())
    }

    /// `POST /distribution/release/takedown?releaseId=`: only stores in Delivered/Live.
    pub(crate) fn takedown(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let release_id = query_release_id(request)?;
        let store_ids = self.store_id_body(request)?;
        let release = self.release(release_id)?;
        for store_id in &store_ids {
            let status = release.stores.get(store_id).map(|s| s.status);
            if !matches!(status, Some(assumptions::STATUS_DELIVERED) | Some(assumptions::STATUS_LIVE)) {
                return Err(ApiError::bad_request(format!(
                    "Release {release_id} is not delivered or live on store {store_id}; nothing to take down."
                )));
            }
        }
        let now = self.clock;
        let release = self.release_mut(release_id)?;
        for store_id in store_ids {
            if let Some(store) = release.stores.get_mut(&store_id) {
                store.status = STATUS_TAKEDOWN_REQUESTED;
                store.since = now;
            }
        }
        Ok(self.queue_reply())
    }

    /// UI-internal `POST /distribution/release/approve?releaseId=` (C3); 204.
    pub(crate) fn approve_via_api(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let release_id = query_release_id(request)?;
        self.approve(release_id)?;
        Ok(Reply::Empty(204))
    }

    /// UI-internal `POST /distribution/release/reject?releaseId=` with a JSON string body; 204.
    pub(crate) fn reject_via_api(&mut self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let release_id = query_release_id(request)?;
        let message = match request.json_body() {
            Ok(Value::String(message)) if !message.trim().is_empty() => message.clone(),
            _ => {
                return Err(ApiError::bad_request(
                    "The body must be a JSON string with the rejection message.",
                ));
            }
        };
        self.reject(release_id, &message)?;
        Ok(Reply::Empty(204))
    }

    /// `GET /distribution/store/all[?releaseId=]`.
    pub(crate) fn store_statuses(&self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let page = Page::from_request(request, self.config.page_size_cap)?;
        let items: Vec<Value> = match request.query_value("releaseId") {
            Some(text) => {
                let release_id = text.parse::<i64>().map_err(|_| {
                    ApiError::field("releaseId", format!("releaseId must be an integer, got {text:?}."))
                })?;
                let release = self.release(release_id)?;
                release.stores.iter().map(|(id, store)| self.store_item(*id, &[store])).collect()
            }
            None => lookups::stores(self.config.store_profile)
                .iter()
                .map(|store| {
                    let states: Vec<&StoreState> =
                        self.releases.values().filter_map(|r| r.stores.get(&store.id)).collect();
                    self.store_item(store.id, &states)
                })
                .collect(),
        };
        Ok(Reply::ok(page.envelope(items, json!({}))))
    }

    /// `GET /distribution/release/all`: releases with their per-store status (item shape F9).
    pub(crate) fn distribution_releases(&self, request: &ApiRequest) -> Result<Reply, ApiError> {
        let page = Page::from_request(request, self.config.page_size_cap)?;
        let term = request.query_value("searchTerm").map(str::to_lowercase).filter(|t| !t.is_empty());
        let items = self
            .releases
            .values()
            .filter(|r| !r.stores.is_empty())
            .filter(|r| {
                term.as_deref().is_none_or(|t| {
                    r.fields.get("name").and_then(Value::as_str).is_some_and(|n| n.to_lowercase().contains(t))
                        || r.upc.as_deref().is_some_and(|u| u.contains(t))
                })
            })
            .collect();
        Ok(Reply::ok(page.envelope_of(items, |r| self.distribution_item(r), self.counters())))
    }

    fn distribution_item(&self, release: &Release) -> Value {
        let rendered = self.render_release(release, false);
        json!({
            "releaseId": release.id,
            "name": rendered["name"],
            "artistName": rendered["artistName"],
            "upc": rendered["upc"],
            "stores": release
                .stores
                .iter()
                .map(|(id, store)| json!({
                    "distributorStoreId": id,
                    "distributorStoreName": store_name(self, *id),
                    "releaseStatus": self.release_status(store),
                }))
                .collect::<Vec<_>>(),
        })
    }

    fn counters(&self) -> Value {
        let mut counters = [0u64; 9];
        for store in self.releases.values().flat_map(|r| r.stores.values()) {
            let index = match store.status {
                -20 => 0,
                -10 | -11 | -21 => 2,
                10 | 20 => 3,
                30 => 4,
                90 => 5,
                91 => 6,
                40 => 7,
                41 => 8,
                _ => continue,
            };
            counters[index] += 1;
        }
        json!({
            "toinspect": counters[0], "parked": counters[1], "pending": counters[2], "indelivery": counters[3],
            "live": counters[4], "deliveryerrors": counters[5], "inspectorerrors": counters[6],
            "takedown": counters[7], "removedfromstore": counters[8],
        })
    }

    fn release_status(&self, store: &StoreState) -> Value {
        json!({
            "status": store.status,
            "statusText": assumptions::status_text(store.status),
            "errorMessage": store.error_message,
            "addedDate": self.format_date(Some(store.added)),
            "deliveryDate": self.format_date(store.delivery_date),
            "firstDeliveryDate": self.format_date(store.first_delivery_date),
            "dateLive": self.format_date(store.date_live),
            "urlInStore": null,
            "summarySection": if store.status == STATUS_PENDING_OWNER_INSPECTION { json!(10) } else { Value::Null },
            "isError": matches!(store.status, 90 | 91),
        })
    }

    /// One row of `/distribution/store/all`; counts over `states` (one state for a release).
    fn store_item(&self, store_id: i64, states: &[&StoreState]) -> Value {
        let count = |pred: &dyn Fn(i32) -> bool| states.iter().filter(|s| pred(s.status)).count();
        let mut item = json!({
            "distributorStoreId": store_id,
            "distributorStoreName": store_name(self, store_id),
            "inProgressCount": count(&|s| matches!(s, -10 | 10)),
            "inspectionCount": count(&|s| matches!(s, -20 | -21)),
            "licensingCount": count(&|s| s == -11),
            "deliveredCount": count(&|s| s == 20),
            "mayBeLiveCount": count(&|s| s == 20),
            "liveCount": count(&|s| s == 30),
            "errorCount": count(&|s| matches!(s, 90 | 91)),
            "distributedCount": count(&|s| matches!(s, 20 | 30)),
            "takenDownCount": count(&|s| s == 41),
            "inTakeDownCount": count(&|s| s == 40),
        });
        if let [store] = states {
            item["releaseStatus"] = self.release_status(store);
        }
        item
    }

    /// A bare JSON array of known store ids (10.2.6): empty, unknown ids or another shape → 400.
    fn store_id_body(&self, request: &ApiRequest) -> Result<Vec<i64>, ApiError> {
        let list = request.json_body()?.as_array().ok_or_else(|| {
            ApiError::bad_request(
                "The body must be a JSON array of distributorStoreId integers, e.g. [1, 9].",
            )
        })?;
        if list.is_empty() {
            return Err(ApiError::bad_request(
                "The store list is empty; name at least one distributorStoreId.",
            ));
        }
        let mut ids = Vec::with_capacity(list.len());
        for value in list {
            let id = value
                .as_i64()
                .ok_or_else(|| ApiError::bad_request(format!("Store ids must be integers, got {value}.")))?;
            if lookups::store(self.config.store_profile, id).is_none() {
                return Err(ApiError::bad_request(format!("Unknown distributorStoreId {id}.")));
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    fn queue_reply(&self) -> Reply {
        match self.config.queue_response {
            QueueResponse::Empty => Reply::Empty(200),
            QueueResponse::True => Reply::ok(Value::Bool(true)),
        }
    }
}

fn store_name(state: &State, id: i64) -> Value {
    lookups::store(state.config.store_profile, id).map_or(Value::Null, |s| json!(s.name))
}

fn query_release_id(request: &ApiRequest) -> Result<i64, ApiError> {
    let text = request
        .query_value("releaseId")
        .ok_or_else(|| ApiError::field("releaseId", "releaseId is required in the query string."))?;
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::field("releaseId", format!("releaseId must be a positive integer, got {text:?}."))
    })
}
