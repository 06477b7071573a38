import { graphql } from '../gql/index.ts';

graphql(`
  fragment BoardRoute on Route {
    id
    date
    status
    distanceKm
    depot {
      id
    }
    vehicle {
      id
      name
    }
    driver {
      id
      name
    }
    stops {
      id
      sequence
      status
      plannedArrival
      order {
        id
        reference
        status
        eta
        customer {
          id
          name
        }
        quote {
          totalMoney {
            formatted
          }
        }
      }
    }
  }
`);

export const BoardSetupDocument = graphql(`
  query BoardSetup {
    depots {
      id
      name
      line1
      city
      postalCode
      country
      lat
      lon
    }
    drivers(first: 100) {
      edges {
        node {
          id
          name
          active
        }
      }
    }
  }
`);

export const BoardPoolDocument = graphql(`
  query BoardPool($first: Int, $after: String, $last: Int, $before: String) {
    planningPool(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges {
        cursor
        node {
          reference
          dropoffCity
          weightKg
          windowStart
          windowEnd
          order {
            id
            status
            customer {
              id
              name
            }
            quote {
              totalMoney {
                amount
                currency
                formatted
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const BoardRoutesDocument = graphql(`
  query BoardRoutes($depotId: ID!, $date: String!) {
    routes(depotId: $depotId, date: $date, first: 100) {
      edges {
        node {
          ...BoardRoute
        }
      }
    }
  }
`);

export const DispatchBoardDocument = graphql(`
  subscription DispatchBoard($depotId: ID!, $date: String!) {
    dispatchBoard(depotId: $depotId, date: $date) {
      ...BoardRoute
    }
  }
`);

export const CreateOrderDocument = graphql(`
  mutation CreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) {
      id
      reference
      status
    }
  }
`);

export const PlanDayDocument = graphql(`
  mutation PlanDay($depotId: ID!, $date: String!) {
    planDay(depotId: $depotId, date: $date, timeLimitSeconds: 1) {
      routes {
        ...BoardRoute
      }
      unserved {
        reason
        message
        order {
          id
          reference
        }
      }
    }
  }
`);

export const AssignDriverDocument = graphql(`
  mutation AssignDriver($routeId: ID!, $driverId: ID!) {
    assignDriver(routeId: $routeId, driverId: $driverId) {
      id
      driver {
        id
        name
      }
    }
  }
`);
